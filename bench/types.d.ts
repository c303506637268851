declare module 'autocannon';
declare module '*/scripts/build.mjs' {
  export function build(): Promise<void>;
  export const bundlePath: string;
}
