import { Testing } from 'cdktf';
// Brings the type declarations of cdktf's jest matchers into `tsc --noEmit`.
import type {} from 'cdktf/lib/testing/adapters/jest';

// Registers cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();
