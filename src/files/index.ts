/*
 * The files feature's public module: where file bytes are kept (exports on their way out, evidence files) and how a
 * stored file reaches a person as a Lark file message.
 */
export { type FileStore, diskFileStore } from './file-store';
export { pruneExports, sendWorkbook } from './send-file';
export { type FileFetcher, createFileFetcher } from './file-fetcher';
export { registerFiles } from './files-feature';
export { attachmentSchema, attachmentText, attachmentsIn } from './attachment';
export { attachableOptions, resolveAttachments } from './attachments';
export { sendStoredFile } from './send-file';
export { storedFile } from './upload-repository';
