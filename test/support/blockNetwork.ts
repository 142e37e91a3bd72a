/** jest `setupFiles` of every project: any connection outside loopback fails loudly (see networkGuard.ts). */
import { installNetworkGuard } from './networkGuard';

installNetworkGuard();
