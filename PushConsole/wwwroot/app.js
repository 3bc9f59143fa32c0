// Small console helpers called through JS interop.
window.pushConsole = {
  markCircuitReady() {
    document.documentElement.dataset.circuit = 'ready';
  },
  download(filename, contentType, text) {
    const blob = new Blob([text], { type: contentType });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
  copy(text) {
    return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.resolve();
  },
};
