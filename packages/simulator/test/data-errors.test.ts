import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, Device, loadDevice, startSimulator } from '../src/index.js';
import { show } from './helpers.js';

// A bad value in a data file must stop the load with `file:line: OID: what is wrong`, never load and then answer
// genErr (or throw a bare RangeError/TypeError) when a request reaches it.

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-data-errors-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The DataFormatError a load throws (fails the test when it loads). */
function loadError(load: () => unknown): DataFormatError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFormatError);
    return error as DataFormatError;
  }
  throw new Error('loaded without an error');
}

const GOOD = '1.3.6.1.2.1.1.1.0|4|a router\n';

describe('bad values are refused when the data is loaded', () => {
  it('loadDevice and startSimulator fail with file:line: OID: what is wrong', async () => {
    const file = join(dir, 'bad1.snmprec');
    await writeFile(file, `${GOOD}1.3.6.1.2.1.1.2.0|2|abc\n`);
    const expected = `${file}:2: 1.3.6.1.2.1.1.2.0: Integer value "abc" is not a whole number from -2147483648 to 2147483647`;
    await expect(loadDevice(file)).rejects.toThrow(expected);
    await expect(startSimulator({ data: file })).rejects.toThrow(expected);
    const error = await loadDevice(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ line: 2, source: file, oid: '1.3.6.1.2.1.1.2.0', code: 'ERR_SIMULATOR_DATA' });
  });

  it.each([
    ['1.3.6.1.4.1.1.1.0|4x|zz', '1.3.6.1.4.1.1.1.0: OctetString hex value "zz" is not pairs of hex digits'],
    ['1.3.6.1.4.1.1.1.0|2|', '1.3.6.1.4.1.1.1.0: Integer value "" is not a whole number'],
    ['1.3.6.1.4.1.1.1.0|2|0x10', 'Integer value "0x10" is not a whole number'],
    ['1.3.6.1.4.1.1.1.0|2|2147483648', 'Integer value "2147483648" is not a whole number'],
    ['1.3.6.1.4.1.1.1.0|65|-1', 'Counter32 value "-1" is not a whole number from 0 to 4294967295'],
    ['1.3.6.1.4.1.1.1.0|66|4294967296', 'Gauge32 value "4294967296" is not a whole number'],
    ['1.3.6.1.4.1.1.1.0|70|abc', 'Counter64 value "abc" is not a whole number from 0 to 18446744073709551615'],
    ['1.3.6.1.4.1.1.1.0|6|abc', 'ObjectIdentifier value "abc" is not a dotted OID'],
    ['1.3.6.1.4.1.1.1.0|6|5.1', 'ObjectIdentifier value "5.1" is not a dotted OID'],
    ['1.3.6.1.4.1.1.1.0|64|10.0.0', 'IpAddress value "10.0.0" is not an IPv4 address a.b.c.d'],
    ['1.3.6.1.4.1.1.1.0|64x|0a00', 'IpAddress hex value "0a00" is not 4 bytes'],
    ['1.3.6.1.4.1.1.1.0|2x|zz', 'Integer hex value "zz" is not pairs of hex digits'],
    ['1.3.6.1.4.1.1.1.0|99|1', '1.3.6.1.4.1.1.1.0: unknown tag "99"'],
    ['5.1|2|1', 'bad OID "5.1": the first arc is 0, 1 or 2'],
    ['1.50.1|2|1', 'bad OID "1.50.1": the second arc is below 40 under 0 and 1'],
    ['1.3.6.4294967296|2|1', 'bad OID "1.3.6.4294967296": arcs are at most 4294967295'],
    ['1.3.x|2|1', 'bad OID "1.3.x"'],
  ])('%s: %s', (line, message) => {
    const error = loadError(() => Device.fromSnmprec(`${GOOD}${line}\n`, { source: 'd.snmprec' }));
    expect(error.message.startsWith('d.snmprec:2: ')).toBe(true);
    expect(error.message).toContain(message);
    expect(error.line).toBe(2);
  });

  it('checks sysUpTime as the TimeTicks it is, not as the numeric variation it becomes', () => {
    const error = loadError(() => Device.fromSnmprec(`${GOOD}1.3.6.1.2.1.1.3.0|67|x\n`, { source: 'up.snmprec' }));
    expect(error.message).toBe(
      'up.snmprec:2: 1.3.6.1.2.1.1.3.0: TimeTicks value "x" is not a whole number from 0 to 4294967295',
    );
  });

  it('refuses unknown variation arguments, naming the known ones', () => {
    const error = loadError(() => Device.fromSnmprec(`${GOOD}1.3.6.1.2.1.2.2.1.10.1|65:numeric|inital=1\n`));
    expect(error.message).toBe(
      '2: 1.3.6.1.2.1.2.2.1.10.1: numeric: unknown argument "inital" (known: initial, rate, min, max, wrap, ' +
        'scale, offset, deviation, function, cumulative, atime, time, increasing)',
    );
    expect(() => Device.fromSnmprec('1.3.6.1.4.1.1.0|4:delay|value=x,wiat=10\n')).toThrow(
      /1: 1\.3\.6\.1\.4\.1\.1\.0: delay: unknown argument "wiat" \(known: value, hexvalue, wait, deviation, vlist, tlist\)/,
    );
    expect(() => Device.fromSnmprec('1.3.6.1.4.1.1.0|65:numeric|5\n')).toThrow(
      /numeric: expected key=value arguments, not "5"/,
    );
  });

  it('refuses bad variation values: value, vlist, status, op, numbers', () => {
    const bad: [string, RegExp][] = [
      ['2:writecache|value=abc', /1\.3\.6\.1\.4\.1\.1\.0: writecache: Integer value "abc" is not a whole number/],
      ['4:writecache|value=a,vlist=eq:a', /writecache: vlist needs OP:VALUE:RESULT triples/],
      ['2:writecache|value=1,vlist=eq:1:noSuchStatus', /writecache: unknown status "noSuchStatus"/],
      ['2:error|status=genErr,op=walk', /error: op=walk: expected get, set or any/],
      ['2:error|status=oops', /error: unknown status "oops"/],
      ['65:numeric|rate=fast', /numeric: rate=fast is not a number/],
      ['4:numeric|initial=1', /numeric: needs a numeric tag/],
      [
        '2:nosuch|value=1',
        /unknown variation module "nosuch" \(known: numeric, delay, error, writecache, notification, subprocess, multiplex\)/,
      ],
      ['2:subprocess|echo 1', /subprocess: the record runs a program; allow it with --allow-subprocess/],
      ['2:sql|value=1', /snmpsim's variation module "sql" is not supported: it serves values from an SQL database/],
      ['65:numeric|rate=0.001cumulative=1', /numeric: rate=0.001cumulative=1 is not a number/],
      ['2|Fa3/0/1', /Integer value "Fa3\/0\/1" is not a whole number/],
    ];
    for (const [record, message] of bad) {
      expect(() => Device.fromSnmprec(`1.3.6.1.4.1.1.0|${record}\n`), record).toThrow(message);
    }
    // What is valid still loads: flags without a value, any case of a status name, and no value at all (as snmpsim:
    // writecache answers noSuchInstance, which GETNEXT passes over; delay answers Null).
    const device = Device.fromSnmprec(
      [
        '1.3.6.1.4.1.1.1|65:numeric|initial=1,wrap,increasing=1',
        '1.3.6.1.4.1.1.2|4:writecache|',
        '1.3.6.1.4.1.1.3|2:error|op=SET,status=NOTWRITABLE,value=3',
        '1.3.6.1.4.1.1.4|64:writecache|value=10.0.0.1,vlist=eq:10.0.0.2:wrongValue',
        '1.3.6.1.4.1.1.5|6:delay|wait=10',
        '1.3.6.1.4.1.1.6|2:writecache|',
        '1.3.6.1.4.1.1.7|2:writecache|value=7,vlist=',
      ].join('\n'),
    );
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.4.1.1.1 = Counter32:1',
      '1.3.6.1.4.1.1.3 = Integer:3',
      '1.3.6.1.4.1.1.4 = IpAddress:10.0.0.1',
      '1.3.6.1.4.1.1.5 = Null',
      '1.3.6.1.4.1.1.7 = Integer:7',
    ]);
  });

  it('names the line of a bad value in walk output (the first line of a multi-line value)', () => {
    const walk = ['.1.3.6.1.2.1.1.1.0 = STRING: "two', 'lines"', '.1.3.6.1.2.1.1.2.0 = IpAddress: 10.0.0'].join('\n');
    const error = loadError(() => Device.fromWalk(walk, { source: 'x.walk' }));
    expect(error.message).toBe('x.walk:3: 1.3.6.1.2.1.1.2.0: IpAddress value "10.0.0" is not an IPv4 address a.b.c.d');
    expect(() => Device.fromWalk('.1.3.6.1.2.1.1.7.0 = INTEGER: lots\n')).toThrow(
      /^1: 1\.3\.6\.1\.2\.1\.1\.7\.0: expected a number in "lots"/,
    );
  });

  it('a device that loaded answers every value: varbinds() and validate() cannot fail later', () => {
    const device = Device.fromSnmprec(
      `${GOOD}1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10\n1.3.6.1.2.1.4.20.1.1.10.0.0.1|64x|0a000001\n`,
    );
    expect(() => device.validate()).not.toThrow();
    expect(device.varbinds()).toHaveLength(3);
  });
});
