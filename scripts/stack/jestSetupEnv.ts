/** jest `setupFiles` of the integration project: every test file sees the stack's env in process.env. */
import { loadTestStackEnv } from './testEnv';

loadTestStackEnv();
