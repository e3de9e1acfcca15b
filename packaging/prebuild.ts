/**
 * Import this module first in main.ts: it bundles and zips every handler before cdktf and the
 * provider classes are loaded. esbuild runs as a separate process (~110 MB); run early, its
 * memory does not add to the synth's own peak, which roughly halves the app's peak memory
 * (see docs/packaging.md, "Synth speed"). The artifacts are cached for the BundledFunctions.
 */
import { prebuildHandlerArtifacts } from './artifact';

prebuildHandlerArtifacts();
