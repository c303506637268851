import { HashThread } from '@nimbus/service';

/** The process's thread for the MD5s (ETags) of object uploads, started on first use. */
export const md5Thread = new HashThread();
