export { bestMatch, matchLog } from './match.js';
export type { LogMatch } from './match.js';
export { signatureById, signatures } from './signatures.js';
export type { LogSignature, SignatureCategory } from './signatures.js';
