import type { LacunaErrorCode } from '../engine/util/errors';

/**
 * Process exit codes, stable for scripts and render-farm wrappers. Each class of failure has its
 * own code so a caller can tell "fix your input" from "install ffmpeg" from "try again".
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  input: 3,
  dependency: 4,
  project: 5,
  model: 6,
  cancelled: 130,
} as const;

export function exitCodeFor(code: LacunaErrorCode): number {
  switch (code) {
    case 'BAD_ARGUMENT':
    case 'BAD_RANGE':
    case 'OUTPUT_EXISTS':
    case 'WOULD_OVERWRITE_SOURCE':
    case 'UNSUPPORTED':
      return EXIT.usage;
    case 'MEDIA_NOT_FOUND':
    case 'MEDIA_UNREADABLE':
    case 'NOT_FOUND':
      return EXIT.input;
    case 'FFMPEG_NOT_FOUND':
    case 'LLM_UNAVAILABLE':
      return EXIT.dependency;
    case 'PROJECT_INVALID':
    case 'PROJECT_NOT_FOUND':
    case 'PROJECT_TOO_NEW':
    case 'PROJECT_LOCKED':
    case 'PROJECT_CHANGED':
      return EXIT.project;
    case 'MODEL_PACK_INVALID':
    case 'MODEL_PACK_NOT_FOUND':
      return EXIT.model;
    case 'CANCELLED':
      return EXIT.cancelled;
    case 'FFMPEG_FAILED':
    default:
      return EXIT.failure;
  }
}
