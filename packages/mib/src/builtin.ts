/**
 * Built-in core modules, used when a module is not found on the search path, so that the common
 * names work on a machine with no MIB files. This is data written for snmpkit from the RFCs' facts
 * (names, OIDs, syntaxes, enumerations, hints): not module text. Descriptions are left out.
 *
 * Each node line is `label parent subid [syntax] [access]`:
 * - syntax: a base type (`Counter32`), a textual convention (`DisplayString`), `INTEGER{up=1,down=2}`,
 *   `table`, `row=IDX1,IDX2` (an entry and its INDEX), `augments=ROW`, `notif=OBJ1,OBJ2` (a NOTIFICATION-TYPE), or
 *   `-` for a plain OBJECT IDENTIFIER;
 * - access: `ro`, `rw`, `rc`, `na`, `an` (accessible-for-notify).
 * A TC line is `label=TC base [hint] [{enums}]`.
 */
import type { Definition, ModuleItem, ParsedModule, RawSyntax } from './parser.js';
import type { Access, BaseType, EnumItem, Range } from './types.js';

interface BuiltinSpec {
  imports: Record<string, string[]>;
  lines: string;
}

const SPECS: Record<string, BuiltinSpec> = {
  'SNMPv2-SMI': {
    imports: {},
    lines: `
org iso 3
dod org 6
internet dod 1
directory internet 1
mgmt internet 2
mib-2 mgmt 1
transmission mib-2 10
experimental internet 3
private internet 4
enterprises private 1
security internet 5
snmpV2 internet 6
snmpDomains snmpV2 1
snmpProxys snmpV2 2
snmpModules snmpV2 3
zeroDotZero ccitt 0 -
`,
  },
  'SNMPv2-TC': {
    imports: {},
    lines: `
DisplayString=TC OCTET-STRING 255a (0..255)
PhysAddress=TC OCTET-STRING 1x:
MacAddress=TC OCTET-STRING 1x: (6)
TruthValue=TC INTEGER - {true=1,false=2}
TestAndIncr=TC INTEGER - (0..2147483647)
AutonomousType=TC OBJECT-IDENTIFIER
InstancePointer=TC OBJECT-IDENTIFIER
VariablePointer=TC OBJECT-IDENTIFIER
RowPointer=TC OBJECT-IDENTIFIER
RowStatus=TC INTEGER - {active=1,notInService=2,notReady=3,createAndGo=4,createAndWait=5,destroy=6}
TimeStamp=TC TimeTicks
TimeInterval=TC INTEGER - (0..2147483647)
DateAndTime=TC OCTET-STRING 2d-1d-1d,1d:1d:1d.1d,1a1d:1d (8|11)
StorageType=TC INTEGER - {other=1,volatile=2,nonVolatile=3,permanent=4,readOnly=5}
TDomain=TC OBJECT-IDENTIFIER
TAddress=TC OCTET-STRING - (1..255)
`,
  },
  'SNMPv2-MIB': {
    imports: {
      'SNMPv2-SMI': ['mib-2', 'snmpModules'],
      'SNMPv2-TC': ['DisplayString', 'TestAndIncr', 'TimeStamp'],
    },
    lines: `
snmpMIB snmpModules 1
snmpMIBObjects snmpMIB 1
system mib-2 1
sysDescr system 1 DisplayString ro
sysObjectID system 2 OBJECT-IDENTIFIER ro
sysUpTime system 3 TimeTicks ro
sysContact system 4 DisplayString rw
sysName system 5 DisplayString rw
sysLocation system 6 DisplayString rw
sysServices system 7 INTEGER ro
sysORLastChange system 8 TimeStamp ro
sysORTable system 9 table na
sysOREntry sysORTable 1 row=sysORIndex na
sysORIndex sysOREntry 1 INTEGER na
sysORID sysOREntry 2 OBJECT-IDENTIFIER ro
sysORDescr sysOREntry 3 DisplayString ro
sysORUpTime sysOREntry 4 TimeStamp ro
snmp mib-2 11
snmpInPkts snmp 1 Counter32 ro
snmpOutPkts snmp 2 Counter32 ro
snmpInBadVersions snmp 3 Counter32 ro
snmpInBadCommunityNames snmp 4 Counter32 ro
snmpInBadCommunityUses snmp 5 Counter32 ro
snmpInASNParseErrs snmp 6 Counter32 ro
snmpInTooBigs snmp 8 Counter32 ro
snmpInNoSuchNames snmp 9 Counter32 ro
snmpInBadValues snmp 10 Counter32 ro
snmpInReadOnlys snmp 11 Counter32 ro
snmpInGenErrs snmp 12 Counter32 ro
snmpInTotalReqVars snmp 13 Counter32 ro
snmpInTotalSetVars snmp 14 Counter32 ro
snmpInGetRequests snmp 15 Counter32 ro
snmpInGetNexts snmp 16 Counter32 ro
snmpInSetRequests snmp 17 Counter32 ro
snmpInGetResponses snmp 18 Counter32 ro
snmpInTraps snmp 19 Counter32 ro
snmpOutTooBigs snmp 20 Counter32 ro
snmpOutNoSuchNames snmp 21 Counter32 ro
snmpOutBadValues snmp 22 Counter32 ro
snmpOutGenErrs snmp 24 Counter32 ro
snmpOutGetRequests snmp 25 Counter32 ro
snmpOutGetNexts snmp 26 Counter32 ro
snmpOutSetRequests snmp 27 Counter32 ro
snmpOutGetResponses snmp 28 Counter32 ro
snmpOutTraps snmp 29 Counter32 ro
snmpEnableAuthenTraps snmp 30 INTEGER{enabled=1,disabled=2} rw
snmpSilentDrops snmp 31 Counter32 ro
snmpProxyDrops snmp 32 Counter32 ro
snmpTrap snmpMIBObjects 4
snmpTrapOID snmpTrap 1 OBJECT-IDENTIFIER an
snmpTrapEnterprise snmpTrap 3 OBJECT-IDENTIFIER an
snmpTraps snmpMIBObjects 5
coldStart snmpTraps 1 notif=
warmStart snmpTraps 2 notif=
authenticationFailure snmpTraps 5 notif=
snmpSet snmpMIBObjects 6
snmpSetSerialNo snmpSet 1 TestAndIncr rw
`,
  },
  'IANAifType-MIB': {
    imports: {},
    lines: `
IANAifType=TC INTEGER - {other=1,regular1822=2,hdh1822=3,ddnX25=4,rfc877x25=5,ethernetCsmacd=6,iso88023Csmacd=7,iso88024TokenBus=8,iso88025TokenRing=9,iso88026Man=10,starLan=11,proteon10Mbit=12,proteon80Mbit=13,hyperchannel=14,fddi=15,lapb=16,sdlc=17,ds1=18,e1=19,basicISDN=20,primaryISDN=21,propPointToPointSerial=22,ppp=23,softwareLoopback=24,eon=25,ethernet3Mbit=26,nsip=27,slip=28,ultra=29,ds3=30,sip=31,frameRelay=32,rs232=33,para=34,arcnet=35,arcnetPlus=36,atm=37,miox25=38,sonet=39,x25ple=40,iso88022llc=41,localTalk=42,smdsDxi=43,frameRelayService=44,v35=45,hssi=46,hippi=47,modem=48,aal5=49,sonetPath=50,sonetVT=51,smdsIcip=52,propVirtual=53,propMultiplexor=54,ieee80212=55,fibreChannel=56,hippiInterface=57,frameRelayInterconnect=58,aflane8023=59,aflane8025=60,cctEmul=61,fastEther=62,isdn=63,v11=64,v36=65,g703at64k=66,g703at2mb=67,qllc=68,fastEtherFX=69,channel=70,ieee80211=71,ibm370parChan=72,escon=73,dlsw=74,isdns=75,isdnu=76,lapd=77,ipSwitch=78,rsrb=79,atmLogical=80,ds0=81,ds0Bundle=82,bsc=83,async=84,cnr=85,iso88025Dtr=86,eplrs=87,arap=88,propCnls=89,hostPad=90,termPad=91,frameRelayMPI=92,x213=93,adsl=94,radsl=95,sdsl=96,vdsl=97,iso88025CRFPInt=98,myrinet=99,voiceEM=100,voiceFXO=101,voiceFXS=102,voiceEncap=103,voiceOverIp=104,atmDxi=105,atmFuni=106,atmIma=107,pppMultilinkBundle=108,ipOverCdlc=109,ipOverClaw=110,stackToStack=111,virtualIpAddress=112,mpc=113,ipOverAtm=114,iso88025Fiber=115,tdlc=116,gigabitEthernet=117,hdlc=118,lapf=119,v37=120,x25mlp=121,x25huntGroup=122,transpHdlc=123,interleave=124,fast=125,ip=126,docsCableMaclayer=127,docsCableDownstream=128,docsCableUpstream=129,a12MppSwitch=130,tunnel=131,coffee=132,ces=133,atmSubInterface=134,l2vlan=135,l3ipvlan=136,l3ipxvlan=137,digitalPowerline=138,mediaMailOverIp=139,dtm=140,dcn=141,ipForward=142,msdsl=143,ieee1394=144,if-gsn=145,dvbRccMacLayer=146,dvbRccDownstream=147,dvbRccUpstream=148,atmVirtual=149,mplsTunnel=150,srp=151,voiceOverAtm=152,voiceOverFrameRelay=153,idsl=154,compositeLink=155,ss7SigLink=156,propWirelessP2P=157,frForward=158,rfc1483=159,usb=160,ieee8023adLag=161,bgppolicyaccounting=162,frf16MfrBundle=163,h323Gatekeeper=164,h323Proxy=165,mpls=166,mfSigLink=167,hdsl2=168,shdsl=169,ds1FDL=170,pos=171,dvbAsiIn=172,dvbAsiOut=173,plc=174,nfas=175,tr008=176,gr303RDT=177,gr303IDT=178,isup=179,propDocsWirelessMaclayer=180,propDocsWirelessDownstream=181,propDocsWirelessUpstream=182,hiperlan2=183,propBWAp2Mp=184,sonetOverheadChannel=185,digitalWrapperOverheadChannel=186,aal2=187,radioMAC=188,atmRadio=189,imt=190,mvl=191,reachDSL=192,frDlciEndPt=193,atmVciEndPt=194,opticalChannel=195,opticalTransport=196,propAtm=197,voiceOverCable=198,infiniband=199,teLink=200,q2931=201,virtualTg=202,sipTg=203,sipSig=204,docsCableUpstreamChannel=205,econet=206,pon155=207,pon622=208,bridge=209,linegroup=210,voiceEMFGD=211,voiceFGDEANA=212,voiceDID=213,mpegTransport=214,sixToFour=215,gtp=216,pdnEtherLoop1=217,pdnEtherLoop2=218,opticalChannelGroup=219,homepna=220,gfp=221,ciscoISLvlan=222,actelisMetaLOOP=223,fcipLink=224,rpr=225,qam=226,lmp=227,cblVectaStar=228,docsCableMCmtsDownstream=229,adsl2=230,macSecControlledIF=231,macSecUncontrolledIF=232,aviciOpticalEther=233,atmbond=234,voiceFGDOS=235,mocaVersion1=236,ieee80216WMAN=237,adsl2plus=238,dvbRcsMacLayer=239,dvbTdm=240,dvbRcsTdma=241,x86Laps=242,wwanPP=243,wwanPP2=244,voiceEBS=245,ifPwType=246,ilan=247,pip=248,aluELP=249,gpon=250,vdsl2=251,capwapDot11Profile=252,capwapDot11Bss=253,capwapWtpVirtualRadio=254,bits=255,docsCableUpstreamRfPort=256,cableDownstreamRfPort=257}
`,
  },
  'IF-MIB': {
    imports: {
      'SNMPv2-SMI': ['mib-2'],
      'SNMPv2-TC': ['DisplayString', 'PhysAddress', 'TruthValue', 'TimeStamp', 'AutonomousType', 'TestAndIncr'],
      'SNMPv2-MIB': ['snmpTraps'],
      'IANAifType-MIB': ['IANAifType'],
    },
    lines: `
InterfaceIndex=TC Integer32 d (1..2147483647)
ifMIB mib-2 31
ifMIBObjects ifMIB 1
interfaces mib-2 2
ifNumber interfaces 1 Integer32 ro
ifTable interfaces 2 table na
ifEntry ifTable 1 row=ifIndex na
ifIndex ifEntry 1 InterfaceIndex ro
ifDescr ifEntry 2 DisplayString ro
ifType ifEntry 3 IANAifType ro
ifMtu ifEntry 4 Integer32 ro
ifSpeed ifEntry 5 Gauge32 ro
ifPhysAddress ifEntry 6 PhysAddress ro
ifAdminStatus ifEntry 7 INTEGER{up=1,down=2,testing=3} rw
ifOperStatus ifEntry 8 INTEGER{up=1,down=2,testing=3,unknown=4,dormant=5,notPresent=6,lowerLayerDown=7} ro
ifLastChange ifEntry 9 TimeTicks ro
ifInOctets ifEntry 10 Counter32 ro
ifInUcastPkts ifEntry 11 Counter32 ro
ifInNUcastPkts ifEntry 12 Counter32 ro
ifInDiscards ifEntry 13 Counter32 ro
ifInErrors ifEntry 14 Counter32 ro
ifInUnknownProtos ifEntry 15 Counter32 ro
ifOutOctets ifEntry 16 Counter32 ro
ifOutUcastPkts ifEntry 17 Counter32 ro
ifOutNUcastPkts ifEntry 18 Counter32 ro
ifOutDiscards ifEntry 19 Counter32 ro
ifOutErrors ifEntry 20 Counter32 ro
ifOutQLen ifEntry 21 Gauge32 ro
ifSpecific ifEntry 22 OBJECT-IDENTIFIER ro
ifXTable ifMIBObjects 1 table na
ifXEntry ifXTable 1 augments=ifEntry na
ifName ifXEntry 1 DisplayString ro
ifInMulticastPkts ifXEntry 2 Counter32 ro
ifInBroadcastPkts ifXEntry 3 Counter32 ro
ifOutMulticastPkts ifXEntry 4 Counter32 ro
ifOutBroadcastPkts ifXEntry 5 Counter32 ro
ifHCInOctets ifXEntry 6 Counter64 ro
ifHCInUcastPkts ifXEntry 7 Counter64 ro
ifHCInMulticastPkts ifXEntry 8 Counter64 ro
ifHCInBroadcastPkts ifXEntry 9 Counter64 ro
ifHCOutOctets ifXEntry 10 Counter64 ro
ifHCOutUcastPkts ifXEntry 11 Counter64 ro
ifHCOutMulticastPkts ifXEntry 12 Counter64 ro
ifHCOutBroadcastPkts ifXEntry 13 Counter64 ro
ifLinkUpDownTrapEnable ifXEntry 14 INTEGER{enabled=1,disabled=2} rw
ifHighSpeed ifXEntry 15 Gauge32 ro
ifPromiscuousMode ifXEntry 16 TruthValue rw
ifConnectorPresent ifXEntry 17 TruthValue ro
ifAlias ifXEntry 18 DisplayString rw
ifCounterDiscontinuityTime ifXEntry 19 TimeStamp ro
ifTableLastChange ifMIBObjects 5 TimeTicks ro
linkDown snmpTraps 3 notif=ifIndex,ifAdminStatus,ifOperStatus
linkUp snmpTraps 4 notif=ifIndex,ifAdminStatus,ifOperStatus
`,
  },
  'INET-ADDRESS-MIB': {
    imports: { 'SNMPv2-SMI': ['mib-2'] },
    lines: `
inetAddressMIB mib-2 76
InetAddressType=TC INTEGER - {unknown=0,ipv4=1,ipv6=2,ipv4z=3,ipv6z=4,dns=16}
InetAddress=TC OCTET-STRING - (0..255)
InetAddressIPv4=TC OCTET-STRING 1d.1d.1d.1d (4)
InetAddressIPv6=TC OCTET-STRING 2x:2x:2x:2x:2x:2x:2x:2x (16)
InetAddressIPv4z=TC OCTET-STRING 1d.1d.1d.1d%4d (8)
InetAddressIPv6z=TC OCTET-STRING 2x:2x:2x:2x:2x:2x:2x:2x%4d (20)
InetAddressDNS=TC OCTET-STRING 255a (1..255)
InetAddressPrefixLength=TC Unsigned32 d (0..2040)
InetPortNumber=TC Unsigned32 d (0..65535)
InetAutonomousSystemNumber=TC Unsigned32 d
InetScopeType=TC INTEGER - {interfaceLocal=1,linkLocal=2,subnetLocal=3,adminLocal=4,siteLocal=5,organizationLocal=8,global=14}
InetZoneIndex=TC Unsigned32 d
InetVersion=TC INTEGER - {unknown=0,ipv4=1,ipv6=2}
`,
  },
  'IP-MIB': {
    imports: {
      'SNMPv2-SMI': ['mib-2'],
      'SNMPv2-TC': ['PhysAddress', 'RowPointer', 'RowStatus', 'TimeStamp', 'StorageType'],
      'IF-MIB': ['InterfaceIndex'],
      'INET-ADDRESS-MIB': ['InetAddress', 'InetAddressType'],
    },
    lines: `
IpAddressOriginTC=TC INTEGER - {other=1,manual=2,dhcp=4,linklayer=5,random=6}
IpAddressStatusTC=TC INTEGER - {preferred=1,deprecated=2,invalid=3,inaccessible=4,unknown=5,tentative=6,duplicate=7,optimistic=8}
ipAddressTable ip 34 table na
ipAddressEntry ipAddressTable 1 row=ipAddressAddrType,ipAddressAddr na
ipAddressAddrType ipAddressEntry 1 InetAddressType na
ipAddressAddr ipAddressEntry 2 InetAddress na
ipAddressIfIndex ipAddressEntry 3 InterfaceIndex rc
ipAddressType ipAddressEntry 4 INTEGER{unicast=1,anycast=2,broadcast=3} rc
ipAddressPrefix ipAddressEntry 5 RowPointer ro
ipAddressOrigin ipAddressEntry 6 IpAddressOriginTC ro
ipAddressStatus ipAddressEntry 7 IpAddressStatusTC rc
ipAddressCreated ipAddressEntry 8 TimeStamp ro
ipAddressLastChanged ipAddressEntry 9 TimeStamp ro
ipAddressRowStatus ipAddressEntry 10 RowStatus rc
ipAddressStorageType ipAddressEntry 11 StorageType rc
ipNetToPhysicalTable ip 35 table na
ipNetToPhysicalEntry ipNetToPhysicalTable 1 row=ipNetToPhysicalIfIndex,ipNetToPhysicalNetAddressType,ipNetToPhysicalNetAddress na
ipNetToPhysicalIfIndex ipNetToPhysicalEntry 1 InterfaceIndex na
ipNetToPhysicalNetAddressType ipNetToPhysicalEntry 2 InetAddressType na
ipNetToPhysicalNetAddress ipNetToPhysicalEntry 3 InetAddress na
ipNetToPhysicalPhysAddress ipNetToPhysicalEntry 4 PhysAddress rc
ipNetToPhysicalLastUpdated ipNetToPhysicalEntry 5 TimeStamp ro
ipNetToPhysicalType ipNetToPhysicalEntry 6 INTEGER{other=1,invalid=2,dynamic=3,static=4,local=5} rc
ipNetToPhysicalState ipNetToPhysicalEntry 7 INTEGER{reachable=1,stale=2,delay=3,probe=4,invalid=5,unknown=6,incomplete=7} ro
ipNetToPhysicalRowStatus ipNetToPhysicalEntry 8 RowStatus rc
ip mib-2 4
ipForwarding ip 1 INTEGER{forwarding=1,notForwarding=2} rw
ipDefaultTTL ip 2 Integer32 rw
ipInReceives ip 3 Counter32 ro
ipInHdrErrors ip 4 Counter32 ro
ipInAddrErrors ip 5 Counter32 ro
ipForwDatagrams ip 6 Counter32 ro
ipInUnknownProtos ip 7 Counter32 ro
ipInDiscards ip 8 Counter32 ro
ipInDelivers ip 9 Counter32 ro
ipOutRequests ip 10 Counter32 ro
ipOutDiscards ip 11 Counter32 ro
ipOutNoRoutes ip 12 Counter32 ro
ipReasmTimeout ip 13 Integer32 ro
ipReasmReqds ip 14 Counter32 ro
ipReasmOKs ip 15 Counter32 ro
ipReasmFails ip 16 Counter32 ro
ipFragOKs ip 17 Counter32 ro
ipFragFails ip 18 Counter32 ro
ipFragCreates ip 19 Counter32 ro
ipAddrTable ip 20 table na
ipAddrEntry ipAddrTable 1 row=ipAdEntAddr na
ipAdEntAddr ipAddrEntry 1 IpAddress ro
ipAdEntIfIndex ipAddrEntry 2 Integer32 ro
ipAdEntNetMask ipAddrEntry 3 IpAddress ro
ipAdEntBcastAddr ipAddrEntry 4 Integer32 ro
ipAdEntReasmMaxSize ipAddrEntry 5 Integer32 ro
ipNetToMediaTable ip 22 table na
ipNetToMediaEntry ipNetToMediaTable 1 row=ipNetToMediaIfIndex,ipNetToMediaNetAddress na
ipNetToMediaIfIndex ipNetToMediaEntry 1 Integer32 rc
ipNetToMediaPhysAddress ipNetToMediaEntry 2 PhysAddress rc
ipNetToMediaNetAddress ipNetToMediaEntry 3 IpAddress rc
ipNetToMediaType ipNetToMediaEntry 4 INTEGER{other=1,invalid=2,dynamic=3,static=4} rc
ipRoutingDiscards ip 23 Counter32 ro
icmp mib-2 5
icmpInMsgs icmp 1 Counter32 ro
icmpInErrors icmp 2 Counter32 ro
icmpOutMsgs icmp 14 Counter32 ro
icmpOutErrors icmp 15 Counter32 ro
`,
  },
  'TCP-MIB': {
    imports: { 'SNMPv2-SMI': ['mib-2'], 'INET-ADDRESS-MIB': ['InetAddress', 'InetAddressType', 'InetPortNumber'] },
    lines: `
tcp mib-2 6
tcpRtoAlgorithm tcp 1 INTEGER{other=1,constant=2,rsre=3,vanj=4,rfc2988=5} ro
tcpRtoMin tcp 2 Integer32 ro
tcpRtoMax tcp 3 Integer32 ro
tcpMaxConn tcp 4 Integer32 ro
tcpActiveOpens tcp 5 Counter32 ro
tcpPassiveOpens tcp 6 Counter32 ro
tcpAttemptFails tcp 7 Counter32 ro
tcpEstabResets tcp 8 Counter32 ro
tcpCurrEstab tcp 9 Gauge32 ro
tcpInSegs tcp 10 Counter32 ro
tcpOutSegs tcp 11 Counter32 ro
tcpRetransSegs tcp 12 Counter32 ro
tcpConnTable tcp 13 table na
tcpConnEntry tcpConnTable 1 row=tcpConnLocalAddress,tcpConnLocalPort,tcpConnRemAddress,tcpConnRemPort na
tcpConnState tcpConnEntry 1 INTEGER{closed=1,listen=2,synSent=3,synReceived=4,established=5,finWait1=6,finWait2=7,closeWait=8,lastAck=9,closing=10,timeWait=11,deleteTCB=12} rw
tcpConnLocalAddress tcpConnEntry 2 IpAddress ro
tcpConnLocalPort tcpConnEntry 3 Integer32 ro
tcpConnRemAddress tcpConnEntry 4 IpAddress ro
tcpConnRemPort tcpConnEntry 5 Integer32 ro
tcpInErrs tcp 14 Counter32 ro
tcpOutRsts tcp 15 Counter32 ro
tcpHCInSegs tcp 17 Counter64 ro
tcpHCOutSegs tcp 18 Counter64 ro
tcpConnectionTable tcp 19 table na
tcpConnectionEntry tcpConnectionTable 1 row=tcpConnectionLocalAddressType,tcpConnectionLocalAddress,tcpConnectionLocalPort,tcpConnectionRemAddressType,tcpConnectionRemAddress,tcpConnectionRemPort na
tcpConnectionLocalAddressType tcpConnectionEntry 1 InetAddressType na
tcpConnectionLocalAddress tcpConnectionEntry 2 InetAddress na
tcpConnectionLocalPort tcpConnectionEntry 3 InetPortNumber na
tcpConnectionRemAddressType tcpConnectionEntry 4 InetAddressType na
tcpConnectionRemAddress tcpConnectionEntry 5 InetAddress na
tcpConnectionRemPort tcpConnectionEntry 6 InetPortNumber na
tcpConnectionState tcpConnectionEntry 7 INTEGER{closed=1,listen=2,synSent=3,synReceived=4,established=5,finWait1=6,finWait2=7,closeWait=8,lastAck=9,closing=10,timeWait=11,deleteTCB=12} rw
tcpConnectionProcess tcpConnectionEntry 8 Unsigned32 ro
tcpListenerTable tcp 20 table na
tcpListenerEntry tcpListenerTable 1 row=tcpListenerLocalAddressType,tcpListenerLocalAddress,tcpListenerLocalPort na
tcpListenerLocalAddressType tcpListenerEntry 1 InetAddressType na
tcpListenerLocalAddress tcpListenerEntry 2 InetAddress na
tcpListenerLocalPort tcpListenerEntry 3 InetPortNumber na
tcpListenerProcess tcpListenerEntry 4 Unsigned32 ro
`,
  },
  'UDP-MIB': {
    imports: { 'SNMPv2-SMI': ['mib-2'], 'INET-ADDRESS-MIB': ['InetAddress', 'InetAddressType', 'InetPortNumber'] },
    lines: `
udp mib-2 7
udpInDatagrams udp 1 Counter32 ro
udpNoPorts udp 2 Counter32 ro
udpInErrors udp 3 Counter32 ro
udpOutDatagrams udp 4 Counter32 ro
udpTable udp 5 table na
udpEntry udpTable 1 row=udpLocalAddress,udpLocalPort na
udpLocalAddress udpEntry 1 IpAddress ro
udpLocalPort udpEntry 2 Integer32 ro
udpEndpointTable udp 7 table na
udpEndpointEntry udpEndpointTable 1 row=udpEndpointLocalAddressType,udpEndpointLocalAddress,udpEndpointLocalPort,udpEndpointRemoteAddressType,udpEndpointRemoteAddress,udpEndpointRemotePort,udpEndpointInstance na
udpEndpointLocalAddressType udpEndpointEntry 1 InetAddressType na
udpEndpointLocalAddress udpEndpointEntry 2 InetAddress na
udpEndpointLocalPort udpEndpointEntry 3 InetPortNumber na
udpEndpointRemoteAddressType udpEndpointEntry 4 InetAddressType na
udpEndpointRemoteAddress udpEndpointEntry 5 InetAddress na
udpEndpointRemotePort udpEndpointEntry 6 InetPortNumber na
udpEndpointInstance udpEndpointEntry 7 Unsigned32 na
udpEndpointProcess udpEndpointEntry 8 Unsigned32 ro
udpHCInDatagrams udp 8 Counter64 ro
udpHCOutDatagrams udp 9 Counter64 ro
`,
  },
  'HOST-RESOURCES-MIB': {
    imports: { 'SNMPv2-SMI': ['mib-2'], 'SNMPv2-TC': ['DisplayString', 'DateAndTime', 'TruthValue', 'AutonomousType'] },
    lines: `
KBytes=TC Integer32 - (0..2147483647)
InternationalDisplayString=TC OCTET-STRING
host mib-2 25
hrSystem host 1
hrSystemUptime hrSystem 1 TimeTicks ro
hrSystemDate hrSystem 2 DateAndTime rw
hrSystemInitialLoadDevice hrSystem 3 Integer32 rw
hrSystemInitialLoadParameters hrSystem 4 InternationalDisplayString rw
hrSystemNumUsers hrSystem 5 Gauge32 ro
hrSystemProcesses hrSystem 6 Gauge32 ro
hrSystemMaxProcesses hrSystem 7 Integer32 ro
hrStorage host 2
hrStorageTypes hrStorage 1
hrMemorySize hrStorage 2 KBytes ro
hrStorageTable hrStorage 3 table na
hrStorageEntry hrStorageTable 1 row=hrStorageIndex na
hrStorageIndex hrStorageEntry 1 Integer32 ro
hrStorageType hrStorageEntry 2 AutonomousType ro
hrStorageDescr hrStorageEntry 3 DisplayString ro
hrStorageAllocationUnits hrStorageEntry 4 Integer32 ro
hrStorageSize hrStorageEntry 5 Integer32 rw
hrStorageUsed hrStorageEntry 6 Integer32 ro
hrStorageAllocationFailures hrStorageEntry 7 Counter32 ro
hrDevice host 3
hrSWRun host 4
hrSWOSIndex hrSWRun 1 Integer32 ro
hrSWRunTable hrSWRun 2 table na
hrSWRunEntry hrSWRunTable 1 row=hrSWRunIndex na
hrSWRunIndex hrSWRunEntry 1 Integer32 ro
hrSWRunName hrSWRunEntry 2 InternationalDisplayString ro
hrSWRunID hrSWRunEntry 3 OBJECT-IDENTIFIER ro
hrSWRunPath hrSWRunEntry 4 InternationalDisplayString ro
hrSWRunParameters hrSWRunEntry 5 InternationalDisplayString ro
hrSWRunType hrSWRunEntry 6 INTEGER{unknown=1,operatingSystem=2,deviceDriver=3,application=4} ro
hrSWRunStatus hrSWRunEntry 7 INTEGER{running=1,runnable=2,notRunnable=3,invalid=4} rw
hrSWRunPerf host 5
hrSWInstalled host 6
`,
  },
  'SNMP-FRAMEWORK-MIB': {
    imports: { 'SNMPv2-SMI': ['snmpModules'] },
    lines: `
SnmpAdminString=TC OCTET-STRING 255t (0..255)
SnmpEngineID=TC OCTET-STRING - (5..32)
SnmpSecurityModel=TC INTEGER - (0..2147483647)
SnmpMessageProcessingModel=TC INTEGER - (0..2147483647)
SnmpSecurityLevel=TC INTEGER - {noAuthNoPriv=1,authNoPriv=2,authPriv=3}
snmpFrameworkMIB snmpModules 10
snmpFrameworkMIBObjects snmpFrameworkMIB 2
snmpEngine snmpFrameworkMIBObjects 1
snmpEngineID snmpEngine 1 SnmpEngineID ro
snmpEngineBoots snmpEngine 2 INTEGER ro
snmpEngineTime snmpEngine 3 INTEGER ro
snmpEngineMaxMessageSize snmpEngine 4 INTEGER ro
`,
  },
  'SNMP-MPD-MIB': {
    imports: { 'SNMPv2-SMI': ['snmpModules'] },
    lines: `
snmpMPDMIB snmpModules 11
snmpMPDMIBObjects snmpMPDMIB 2
snmpMPDStats snmpMPDMIBObjects 1
snmpUnknownSecurityModels snmpMPDStats 1 Counter32 ro
snmpInvalidMsgs snmpMPDStats 2 Counter32 ro
snmpUnknownPDUHandlers snmpMPDStats 3 Counter32 ro
`,
  },
  'SNMP-TARGET-MIB': {
    imports: { 'SNMPv2-SMI': ['snmpModules'] },
    lines: `
snmpTargetMIB snmpModules 12
snmpTargetObjects snmpTargetMIB 1
snmpUnavailableContexts snmpTargetObjects 4 Counter32 ro
snmpUnknownContexts snmpTargetObjects 5 Counter32 ro
`,
  },
  'SNMP-USER-BASED-SM-MIB': {
    imports: { 'SNMPv2-SMI': ['snmpModules'] },
    lines: `
snmpUsmMIB snmpModules 15
usmMIBObjects snmpUsmMIB 1
usmStats usmMIBObjects 1
usmStatsUnsupportedSecLevels usmStats 1 Counter32 ro
usmStatsNotInTimeWindows usmStats 2 Counter32 ro
usmStatsUnknownUserNames usmStats 3 Counter32 ro
usmStatsUnknownEngineIDs usmStats 4 Counter32 ro
usmStatsWrongDigests usmStats 5 Counter32 ro
usmStatsDecryptionErrors usmStats 6 Counter32 ro
usmUser usmMIBObjects 2
usmNoAuthProtocol snmpAuthProtocols 1 -
usmHMACMD5AuthProtocol snmpAuthProtocols 2 -
usmHMACSHAAuthProtocol snmpAuthProtocols 3 -
usmNoPrivProtocol snmpPrivProtocols 1 -
usmDESPrivProtocol snmpPrivProtocols 2 -
`,
  },
};

// The authentication/privacy protocol roots live in SNMP-FRAMEWORK-MIB.
SPECS['SNMP-FRAMEWORK-MIB']!.lines += `
snmpFrameworkAdmin snmpFrameworkMIB 1
snmpAuthProtocols snmpFrameworkAdmin 1 -
snmpPrivProtocols snmpFrameworkAdmin 2 -
`;
SPECS['SNMP-USER-BASED-SM-MIB']!.imports['SNMP-FRAMEWORK-MIB'] = ['snmpAuthProtocols', 'snmpPrivProtocols'];

/** The modules snmpkit can provide without files, in the order a full load uses. */
export const BUILTIN_MODULE_NAMES: ReadonlySet<string> = new Set(Object.keys(SPECS));

/** The default module list: what `snmpkit` loads when told nothing (from files, or built in). */
export const DEFAULT_MODULES: readonly string[] = [
  'SNMPv2-MIB',
  'IF-MIB',
  'IP-MIB',
  'TCP-MIB',
  'UDP-MIB',
  'HOST-RESOURCES-MIB',
  'SNMP-FRAMEWORK-MIB',
  'SNMP-MPD-MIB',
  'SNMP-TARGET-MIB',
  'SNMP-USER-BASED-SM-MIB',
];

/**
 * The module list Net-SNMP 5.9.3 (Debian's build) loads when neither -m, MIBS nor snmp.conf says
 * otherwise, as its `-Dinit_mib` trace shows. For callers that want its exact default; loading it
 * reads many more files than `DEFAULT_MODULES`, so it costs start-up time.
 */
export const NET_SNMP_DEFAULT_MODULES: readonly string[] = [
  'SNMPv2-MIB',
  'IF-MIB',
  'IP-MIB',
  'TCP-MIB',
  'UDP-MIB',
  'HOST-RESOURCES-MIB',
  'NOTIFICATION-LOG-MIB',
  'DISMAN-EVENT-MIB',
  'DISMAN-SCHEDULE-MIB',
  'HOST-RESOURCES-TYPES',
  'MTA-MIB',
  'NETWORK-SERVICES-MIB',
  'UCD-DISKIO-MIB',
  'UCD-DLMOD-MIB',
  'LM-SENSORS-MIB',
  'UCD-SNMP-MIB',
  'UCD-DEMO-MIB',
  'SNMP-TARGET-MIB',
  'NET-SNMP-AGENT-MIB',
  'SNMP-FRAMEWORK-MIB',
  'SNMP-MPD-MIB',
  'SNMP-USER-BASED-SM-MIB',
  'SNMP-VIEW-BASED-ACM-MIB',
  'SNMP-COMMUNITY-MIB',
  'IPV6-ICMP-MIB',
  'IPV6-MIB',
  'IPV6-TCP-MIB',
  'IPV6-UDP-MIB',
  'IP-FORWARD-MIB',
  'NET-SNMP-PASS-MIB',
  'NET-SNMP-EXTEND-MIB',
  'SNMP-NOTIFICATION-MIB',
  'SNMPv2-TM',
  'NET-SNMP-VACM-MIB',
];

const ACCESS: Record<string, Access> = {
  ro: 'read-only',
  rw: 'read-write',
  rc: 'read-create',
  na: 'not-accessible',
  an: 'accessible-for-notify',
};

function parseEnums(text: string): EnumItem[] {
  return text
    .replace(/[{}]/g, '')
    .split(',')
    .map((pair) => {
      const [label, value] = pair.split('=');
      return { label: label!, value: Number(value) };
    });
}

function parseRanges(text: string): Range[] {
  return text
    .replace(/[()]/g, '')
    .split('|')
    .map((r) => {
      const [low, high] = r.split('..');
      return { low: BigInt(low!), high: BigInt(high ?? low!) };
    });
}

function baseOf(word: string): BaseType | undefined {
  const base = word.replace('-', ' ');
  const known: BaseType[] = [
    'OBJECT IDENTIFIER',
    'OCTET STRING',
    'INTEGER',
    'Integer32',
    'Unsigned32',
    'Counter32',
    'Gauge32',
    'TimeTicks',
    'Counter64',
    'IpAddress',
    'Opaque',
    'BITS',
  ];
  return known.find((k) => k === base);
}

function syntaxOf(word: string): RawSyntax {
  const brace = word.indexOf('{');
  const head = brace >= 0 ? word.slice(0, brace) : word;
  const base = baseOf(head);
  const syntax: RawSyntax = base ? { base } : { label: head };
  if (brace >= 0) syntax.enums = parseEnums(word.slice(brace));
  return syntax;
}

const cache = new Map<string, ParsedModule>();

/** A built-in module in the parser's output form, ready to link like one read from a file. */
export function builtinModule(name: string): ParsedModule | undefined {
  const cached = cache.get(name);
  if (cached) return cached;
  const spec = SPECS[name];
  if (!spec) return undefined;
  const file = `<builtin ${name}>`;
  const items: ModuleItem[] = [];
  spec.lines
    .trim()
    .split('\n')
    .filter((raw) => raw.trim().length > 0)
    .forEach((raw, n) => {
      const line = n + 1;
      const f = raw.trim().split(/\s+/);
      const head = f[0]!;
      if (head.endsWith('=TC')) {
        const tcName = head.slice(0, -3);
        const syntax: RawSyntax = { base: baseOf(f[1]!)! };
        const hint = f[2] && f[2] !== '-' ? f[2] : undefined;
        for (const extra of f.slice(3)) {
          if (extra.startsWith('{')) syntax.enums = parseEnums(extra);
          else if (extra.startsWith('(')) syntax.ranges = parseRanges(extra);
        }
        items.push({ typeAssignment: { name: tcName, line, syntax, ...(hint ? { hint } : {}) } });
        return;
      }
      const [label, parent, subid, kind, access] = [head, f[1]!, Number(f[2]), f[3], f[4]];
      const d: Definition = { name: label, kind: 'oid', line, oid: [{ label: parent }, { subid }] };
      if (kind && kind !== '-') {
        if (kind.startsWith('notif=')) {
          d.kind = 'notification-type';
          d.status = 'current';
          const objects = kind.slice(6).split(',').filter(Boolean);
          if (objects.length > 0) d.objects = objects;
        } else {
          d.kind = 'object-type';
          d.status = 'current';
          if (kind === 'table') d.syntax = { label: `${label}Entry`, structured: true };
          else if (kind.startsWith('row=')) {
            d.syntax = { label: label.replace(/^./, (c) => c.toUpperCase()), structured: true };
            d.indexes = kind
              .slice(4)
              .split(',')
              .map((i) => ({ name: i, implied: false }));
          } else if (kind.startsWith('augments=')) {
            d.syntax = { label: label.replace(/^./, (c) => c.toUpperCase()), structured: true };
            d.augments = kind.slice(9);
          } else d.syntax = syntaxOf(kind);
          if (access) d.access = ACCESS[access]!;
        }
      }
      items.push({ definition: d });
    });
  const imports = Object.entries(spec.imports).map(([module, symbols]) => ({ module, symbols, line: 0 }));
  const parsed: ParsedModule = { name, file, line: 1, imports, items };
  cache.set(name, parsed);
  return parsed;
}
