import { xmlEscape as esc } from './s3-errors';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A Swift listing time (`2024-01-02T03:04:05.123450`) as S3 writes it (`...05.123Z`). */
export function s3Time(swift: string): string {
  return `${swift.slice(0, 23)}Z`;
}

export function listBucketsXml(owner: string, buckets: { name: string; last_modified: string }[]): string {
  const items = buckets
    .map(
      (b) =>
        `<Bucket><Name>${esc(b.name)}</Name><CreationDate>${s3Time(b.last_modified)}</CreationDate></Bucket>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${esc(owner)}</ID><DisplayName>${esc(owner)}</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`;
}

/** One key of a bucket listing. */
export interface S3Entry {
  name?: string;
  subdir?: string;
  hash?: string;
  bytes?: number;
  last_modified?: string;
}

export function listObjectsXml(p: {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  truncated: boolean;
  entries: S3Entry[];
  v2: boolean;
  marker?: string;
  nextMarker?: string;
  continuation?: string;
  nextContinuation?: string;
  startAfter?: string;
  owner: string;
}): string {
  const contents = p.entries
    .filter((e) => e.name !== undefined)
    .map(
      (e) =>
        `<Contents><Key>${esc(e.name!)}</Key><LastModified>${s3Time(e.last_modified ?? '')}</LastModified><ETag>&quot;${esc(e.hash ?? '')}&quot;</ETag><Size>${e.bytes ?? 0}</Size>${p.v2 ? '' : `<Owner><ID>${esc(p.owner)}</ID><DisplayName>${esc(p.owner)}</DisplayName></Owner>`}<StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const prefixes = p.entries
    .filter((e) => e.subdir !== undefined)
    .map((e) => `<CommonPrefixes><Prefix>${esc(e.subdir!)}</Prefix></CommonPrefixes>`)
    .join('');
  const paging = p.v2
    ? `<KeyCount>${p.entries.length}</KeyCount>${p.continuation ? `<ContinuationToken>${esc(p.continuation)}</ContinuationToken>` : ''}${p.nextContinuation ? `<NextContinuationToken>${esc(p.nextContinuation)}</NextContinuationToken>` : ''}${p.startAfter ? `<StartAfter>${esc(p.startAfter)}</StartAfter>` : ''}`
    : `<Marker>${esc(p.marker ?? '')}</Marker>${p.nextMarker ? `<NextMarker>${esc(p.nextMarker)}</NextMarker>` : ''}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}"><Name>${esc(p.bucket)}</Name><Prefix>${esc(p.prefix)}</Prefix>${paging}<MaxKeys>${p.maxKeys}</MaxKeys>${p.delimiter ? `<Delimiter>${esc(p.delimiter)}</Delimiter>` : ''}<IsTruncated>${p.truncated}</IsTruncated>${contents}${prefixes}</ListBucketResult>`;
}

export function initiateUploadXml(bucket: string, key: string, uploadId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="${NS}"><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${esc(uploadId)}</UploadId></InitiateMultipartUploadResult>`;
}

export function completeUploadXml(location: string, bucket: string, key: string, etag: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="${NS}"><Location>${esc(location)}</Location><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>&quot;${esc(etag)}&quot;</ETag></CompleteMultipartUploadResult>`;
}

export function listPartsXml(
  bucket: string,
  key: string,
  uploadId: string,
  parts: { n: number; etag: string; size: number; last_modified: string }[],
): string {
  const items = parts
    .map(
      (p) =>
        `<Part><PartNumber>${p.n}</PartNumber><LastModified>${s3Time(p.last_modified)}</LastModified><ETag>&quot;${esc(p.etag)}&quot;</ETag><Size>${p.size}</Size></Part>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult xmlns="${NS}"><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${esc(uploadId)}</UploadId><StorageClass>STANDARD</StorageClass><IsTruncated>false</IsTruncated>${items}</ListPartsResult>`;
}

/** The parts a CompleteMultipartUpload body lists, in order; undefined when it is not that XML. */
export function parseCompleteXml(xml: string): { n: number; etag: string }[] | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: { n: number; etag: string }[] = [];
  for (const m of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const n = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]!);
    const e = /<ETag>\s*([^<]*?)\s*<\/ETag>/.exec(m[1]!);
    if (!n || !e) return undefined;
    parts.push({ n: Number(n[1]), etag: e[1]!.replace(/&quot;|"/g, '') });
  }
  return parts;
}
