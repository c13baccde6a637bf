/** Agent options that cannot work (no device, a community for a device that does not exist, ...). */
export class AgentConfigError extends Error {
  readonly code = 'ERR_SIMULATOR_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}
