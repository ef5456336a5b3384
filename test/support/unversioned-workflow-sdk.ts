// The workflow SDK as the unversioned bundle sees it: every `patched()` answers true, so code paths
// kept for older histories are skipped, just as if a change had been made without `patched()`.
export * from '@temporalio/workflow/lib/index';

export function patched(_patchId: string): boolean {
  return true;
}
