export * from './image-service';
