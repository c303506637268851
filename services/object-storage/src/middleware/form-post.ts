import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { urlQuote } from '@nimbus/http';
import { streamPipeline } from '@nimbus/service';
import Busboy from 'busboy';
import {
  errorResponse,
  type Handler,
  type Middleware,
  readBody,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';
import { parseExpiry, signatureMatches, tempUrlKeys } from './hmac-signature';

/** Form fields a FormPost carries besides the files. */
interface FormFields {
  redirect: string;
  max_file_size: string;
  max_file_count: string;
  expires: string;
  signature: string;
  x_delete_at?: string;
  x_delete_after?: string;
  [k: string]: string | undefined;
}

/** Answers a FormPost: a 303 to `redirect` with status and message, or a small page. */
/** Characters a redirect URL keeps as they are; anything else (Unicode, spaces, controls) is %-quoted. */
const URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~";

/** Python's `str.title()`, which FormPost applies to its messages. */
function pyTitle(text: string): string {
  return text.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
}

/**
 * FormPost's answer as Swift writes it: without a `redirect`, a plain-text body of the status line
 * and, when there is one, `FormPost: <Message Title-Cased>`; with one, a 303 to it carrying the
 * status and message in its query.
 */
function answer(fields: Partial<FormFields>, status: number, message: string): SwiftResponse {
  if (fields.redirect) {
    const base = urlQuote(fields.redirect, URL_SAFE);
    const sep = base.includes('?') ? '&' : '?';
    const location = `${base}${sep}status=${status}&message=${urlQuote(message)}`;
    return response(303, `<html><body><p><a href="${location}">Click to continue...</a></p></body></html>`, {
      location,
      'content-type': 'text/html; charset=UTF-8',
    });
  }
  const line = `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
  return response(status, message ? `${line}\r\nFormPost: ${pyTitle(message)}` : line, {
    'content-type': 'text/plain',
  });
}

/**
 * FormPost: an HTML form `POST`ed to a container path uploads its files as objects under that
 * path, authorized by an HMAC of `path\nredirect\nmax_file_size\nmax_file_count\nexpires` under
 * a TempURL key. Sizes and counts are enforced while streaming.
 */
export function formPost(info: InfoCache): Middleware {
  return (next, root) => async (req) => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !type.toLowerCase().startsWith('multipart/form-data')) return next(req);
    const p = parseSwiftPath(req.path);
    if (!p || p.container === undefined) return next(req);
    return handleForm(info, req, root(), p.account, p.container);
  };
}

async function handleForm(
  info: InfoCache,
  req: SwiftRequest,
  root: Handler,
  account: string,
  container: string,
): Promise<SwiftResponse> {
  const fields: Partial<FormFields> = {};
  let count = 0;
  let failure: [number, string] | undefined;
  let keys: string[] | undefined;
  const uploads: Promise<void>[] = [];
  const verify = async (): Promise<[number, string] | undefined> => {
    const expires = parseExpiry(fields.expires ?? null);
    if (expires === undefined) return [400, 'expired not an integer'];
    if (expires < Date.now() / 1000) return [401, 'Form Expired'];
    keys ??= await tempUrlKeys(info, account, container);
    const message = `${req.path}\n${fields.redirect ?? ''}\n${fields.max_file_size ?? ''}\n${fields.max_file_count ?? ''}\n${fields.expires ?? ''}`;
    if (!keys.length || !fields.signature || !signatureMatches(fields.signature, message, keys))
      return [401, 'Invalid Signature'];
    return undefined;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const bb = Busboy({
        headers: { 'content-type': req.headers['content-type']! },
        limits: { fieldSize: 8192 },
      });
      bb.on('field', (name, value) => {
        fields[name] = value;
      });
      bb.on('file', (_field, stream, meta) => {
        const job = (async () => {
          if (failure) return void stream.resume();
          failure = await verify();
          if (failure) return void stream.resume();
          const maxCount = Number(fields.max_file_count);
          const maxSize = Number(fields.max_file_size);
          if (!meta.filename) return void stream.resume();
          count++;
          if (count > maxCount) {
            failure = [400, 'max file count exceeded'];
            return void stream.resume();
          }
          const data = await readBody(stream as unknown as Readable).catch(() => undefined);
          if (!data || data.length > maxSize) {
            failure = [400, 'max_file_size exceeded'];
            return;
          }
          const headers: Record<string, string> = {
            'content-length': String(data.length),
            'content-type': meta.mimeType || 'application/octet-stream',
          };
          if (fields.x_delete_at) headers['x-delete-at'] = fields.x_delete_at;
          if (fields.x_delete_after) headers['x-delete-after'] = fields.x_delete_after;
          const target =
            parseSwiftPath(req.path)?.object !== undefined
              ? `${req.path}${meta.filename}`
              : `${req.path.replace(/\/$/, '')}/${meta.filename}`;
          const put = subrequest(req, 'PUT', target, headers, Readable.from([data]), 'FP');
          put.env.preAuthorized = true;
          const res = await root(put);
          await readBody(res.body).catch(() => undefined);
          // Swift answers with the failed upload's own status and no message.
          if (res.status !== 201) failure = [res.status, ''];
        })();
        uploads.push(job);
      });
      bb.on('error', reject);
      bb.on('close', () => resolve());
      // A body that fails midway (the client went away) fails the parser, never the process.
      streamPipeline(Readable.from(req.body ?? []), [bb]);
    });
    await Promise.all(uploads);
  } catch {
    return errorResponse(400, 'FormPost: invalid multipart body');
  }
  // A form whose file parts all lack a filename uploads nothing: Swift's 'no files to process'.
  if (!failure && count === 0) failure = (await verify()) ?? [400, 'no files to process'];
  if (
    failure &&
    (failure[0] === 401 || failure[0] === 400) &&
    (failure[1] === 'Invalid Signature' ||
      failure[1] === 'Form Expired' ||
      failure[1] === 'expired not an integer')
  ) {
    return errorResponse(401, `FormPost: ${failure[1]}`);
  }
  return failure ? answer(fields, failure[0], failure[1]) : answer(fields, 201, '');
}
