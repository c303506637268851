/** Who is asking, as the image service's rules read it. */
export interface ImageCaller {
  projectId: string | undefined;
  isAdmin: boolean;
}
