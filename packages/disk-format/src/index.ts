export * from './format-inspector';
export * from './qemu-img';
