export * from './object-storage-service';
