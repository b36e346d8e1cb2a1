/**
 * Whether NumPy is here to check our numbers against (`python3 -c 'import numpy'`). Where it is missing the
 * NumPy checks skip, except where REQUIRE_NUMPY is set (`.ci/run` sets it, and installs python3-numpy): there
 * a missing NumPy is an error, so that the checks cannot pass by not running.
 */
import { spawnSync } from 'node:child_process';

export function hasNumpy(): boolean {
  const found = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.REQUIRE_NUMPY)
    throw new Error(
      'REQUIRE_NUMPY is set but NumPy is missing: install python3-numpy so the NumPy checks run',
    );
  return found;
}
