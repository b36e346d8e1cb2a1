/** `npm run models:manifest`: lists public/models/ in public/models/manifest.json. */
import { writeManifest } from './lib/manifest.ts';

const entries = writeManifest();
console.error(`models:manifest: ${entries.map((e) => e.name).join(', ') || 'no models'}`);
