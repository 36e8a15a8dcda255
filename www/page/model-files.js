// Model files in and out: the download of an exported model, and opening one
// by the file picker or by dropping it on the page. The worker checks the
// bytes; this only refuses, unread, a file larger than the core's largest
// model file (`maxBytes`, which the worker's `ready` reports).

/**
 * @param {{exportButton: HTMLElement, importInput: HTMLInputElement, dropOverlay: HTMLElement,
 *   canImport: () => boolean, maxBytes: () => number, onExport: () => void, onImport: (name: string, bytes: ArrayBuffer) => void,
 *   notice: (text: string, kind: string) => void}} o
 */
export function wireFiles(o) {
  o.exportButton.addEventListener('click', () => o.canImport() && o.onExport());

  async function open(file) {
    if (!file) return;
    if (!o.canImport()) return o.notice('Wait until the dataset has loaded, then open the model again.', 'warn');
    const max = o.maxBytes();
    if (file.size > max) {
      return o.notice(
        `“${file.name}” is too large to be a model of this playground, so it was not opened: it is ${file.size.toLocaleString('en')} bytes, and the largest model file is ${max.toLocaleString('en')} bytes (${Math.round(max / 2 ** 20)} MiB). The current model is unchanged.`,
        'bad',
      );
    }
    o.onImport(file.name, await file.arrayBuffer());
  }

  o.importInput.addEventListener('change', (e) => {
    open(e.target.files[0]);
    e.target.value = '';
  });
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    o.dropOverlay.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    if (--depth <= 0) (depth = 0), (o.dropOverlay.hidden = true);
  });
  document.addEventListener('dragover', (e) => hasFiles(e) && e.preventDefault());
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    o.dropOverlay.hidden = true;
    open(e.dataTransfer.files[0]);
  });

  return {
    download(bytes, filename) {
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
