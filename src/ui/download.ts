/** Saving a file from the page: an object URL and a temporary `<a download>`, revoked once the save began. */

/** A file to save; bytes may be text, binary or an existing Blob. */
export interface SavedFile {
  name: string;
  mime: string;
  bytes: Uint8Array | string | Blob;
}

/** Starts a download of the file. The URL lives 10 s: long enough for the browser to start reading it. */
export function saveFile(file: SavedFile): void {
  const blob =
    file.bytes instanceof Blob && file.bytes.type === file.mime
      ? file.bytes
      : new Blob([file.bytes as BlobPart], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
