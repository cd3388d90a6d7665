import { runProcess } from './run-process';

runProcess('all');
