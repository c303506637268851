export * from './image-service';
// The store drivers, for the store contract suite that runs against each of them.
export { FileStore } from './drivers/store/file-store';
export { SwiftStore } from './drivers/store/swift-store';
export { type ImageStore, StoreNotFound } from './drivers/store/store-api';
// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { imageApiRoutes } from './api/routes';
export { imagePolicies } from './api/image-policies';
