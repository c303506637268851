import { HashThreads } from '@nimbus/service';

/** The process's threads for the MD5s (ETags) of object uploads, started on first use. */
export const md5Threads = new HashThreads();
