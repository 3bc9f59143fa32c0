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
  fullscreen(on) {
    if (on && !document.fullscreenElement && document.documentElement.requestFullscreen) return document.documentElement.requestFullscreen().catch(() => {});
    if (!on && document.fullscreenElement) return document.exitFullscreen().catch(() => {});
  },
  copy(text) {
    return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.resolve();
  },
};

// MudBlazor renders some input adornment buttons (clear, open) without an accessible name: name them after their field
(() => {
  const name = () => document.querySelectorAll('button.mud-input-adornment-icon-button:not([aria-label]), button.mud-input-clear-button:not([aria-label])')
    .forEach(b => {
      const field = b.closest('.mud-input-control')?.querySelector('label')?.textContent?.trim() || 'field';
      b.setAttribute('aria-label', (b.classList.contains('mud-input-clear-button') ? 'Clear ' : 'Open ') + field);
    });
  new MutationObserver(name).observe(document.documentElement, { subtree: true, childList: true });
})();
