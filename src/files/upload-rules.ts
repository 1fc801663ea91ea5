/*
 * What may be kept as 佐证材料: office documents, PDFs and OFD (the official e-document format), images, text and ZIP,
 * each at most 20 MB. Pure: the checks and their Chinese answers.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const allowed = new Set(
  ['pdf', 'ofd', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps'].concat([
    'txt',
    'csv',
    'jpg',
    'jpeg',
    'png',
    'gif',
    'bmp',
    'zip',
  ]),
);

export const allowedText =
  '佐证材料可以是 PDF、OFD、Word、Excel、PPT、WPS 文档、图片（JPG、PNG、GIF、BMP）、文本或 ZIP 压缩包，单个不超过 20 MB';

export const extensionOf = (name: string) => /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** Why a file of this name is not kept, or null when its type is allowed. Images are checked by content instead. */
export function typeRefusal(name: string): string | null {
  const ext = extensionOf(name);
  if (allowed.has(ext)) return null;
  return `不支持的文件类型${ext ? `「.${ext}」` : '（文件名没有扩展名）'}。${allowedText}。`;
}

export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** An image's format from its first bytes: Lark does not name the images people paste. */
export function imageExtension(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (bytes.subarray(0, 2).toString('latin1') === 'BM') return 'bmp';
  return null;
}
