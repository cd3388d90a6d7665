import { runProcess } from '../../run-process';

runProcess('worker');
