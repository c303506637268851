/** image's rules with no persona request yet (see ../pending-rules.ts). */
export const imagePending: readonly string[] = [
  'delete_image_location',
  'get_image_location',
  'set_image_location',
  'copy_image',
  'get_task',
  'get_tasks',
  'add_task',
  'modify_task',
  'tasks_api_access',
  'cache_image',
  'cache_list',
  'cache_delete',
];
