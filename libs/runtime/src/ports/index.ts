// Port leases: stable ports for managed apps, refereed by Postgres, skipping ports other processes hold.
export { choosePort, isInRange, rangeSize } from './choose-port';
export type { ChoosePortInput, PortRange } from './choose-port';
export { isPortBusy, listeningInodes, portOwner } from './port-probe';
export type { PortOwner } from './port-probe';
export { PortLeases, PortRangeExhaustedError } from './port-leases';
export type { LeaseRequest, LeaseResult, PortLease, SkippedPort } from './port-leases';
