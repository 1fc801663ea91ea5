/*
 * The files feature's public module: where file bytes are kept (exports on their way out, evidence files) and how a
 * stored file reaches a person as a Lark file message.
 */
export { type FileStore, diskFileStore } from './file-store.ts';
export { pruneExports, sendWorkbook } from './send-file.ts';
export { type FileFetcher, createFileFetcher } from './file-fetcher.ts';
export { registerFiles } from './files-feature.ts';
export { attachmentSchema, attachmentText, attachmentsIn } from './attachment.ts';
export { attachableOptions, resolveAttachments } from './attachments.ts';
export { sendStoredFile } from './send-file.ts';
export { storedFile } from './upload-repository.ts';
