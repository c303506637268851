/** Who is asking, as the image service's rules read it. */
export interface ImageCaller {
  projectId: string | undefined;
  isAdmin: boolean;
  /** The caller's role names (property protections read them); none when not given. */
  roles?: readonly string[];
}
