import { runProcess } from '../../run-process';

runProcess('api');
