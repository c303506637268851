import type { TimestampedMetadata } from './broker';

/** What one database replica pushes to another: its status, metadata and rows since the last push. */
export interface ReplicationPush<Row> {
  info: {
    put_timestamp: string;
    delete_timestamp: string;
    created_at?: string;
    metadata: TimestampedMetadata;
  };
  rows: Row[];
}

/** What a replica answers a push with: its newest row id and its own id (new each time it is created). */
export interface ReplicationAnswer {
  max_row: number;
  id: string;
}
