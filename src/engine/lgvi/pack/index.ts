// The model-pack module's public surface: what the sampler, the CLI and the app import.
export { loadPack, type LoadPackOptions, type LoadedPack } from './loadPack';
export { verifyPack, type VerifyPackOptions, type VerifyReport, type VerifiedFile, type VerifiedFileStatus, type ManifestVerdict } from './verifyPack';
export { formatVerifyReport } from './verifyReportText';
export { ModelSession, pickVariant, type PrecisionPreference, type Precision, type SessionTuning, type RunOptions } from './sessions';
export type { HostTensor, HostFeeds, HostOutputs, FloatTensor, HostData } from './hostTensors';
export {
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
  MANIFEST_FILE,
  MODEL_ROLES,
  PackManifestSchema,
  type PackManifest,
  type ModelRole,
  type ModelFile,
  type ModelVariant,
  type TensorSpec,
  type TensorDType,
  type Dim,
  type DimSymbol,
  type SchedulerConfig,
} from './manifest';
export { LGVI_CONTRACT, TEXT_TOKENS, TEXT_WIDTH, LATENT_CHANNELS, VAE_DOWNSAMPLE, checkContract, maskResolution } from './contract';
export { checkManifestText, parseManifest } from './parseManifest';
export { PROVIDER_ORDER, chooseProviders, detectProviders, currentProviderEnvironment, type ProviderName, type ProviderPreference, type ProviderReport, type ProviderStatus } from './executionProviders';
export { isOutOfMemoryError } from './oomFallback';
export { PackIdentitySchema, manifestSha256, readPackIdentity, packIdentityText, type PackIdentity } from './packIdentity';
export { sha256File, type ChecksumProgress, type FileCheck } from './checksums';
