// Compose page helpers: bring the first problem into view and put the keyboard on its field.
export function scrollToFirstProblem() {
  const error = document.querySelector('#compose-form .field-error, #compose-form .mud-input-error');
  if (!error) return false;
  error.scrollIntoView({ block: 'center', behavior: 'instant' });
  const scope = error.closest('.field, .mud-input-control, .mud-paper') || error.parentElement;
  const input = scope && scope.querySelector('input:not([type=hidden]), textarea, select, button');
  if (input) input.focus({ preventScroll: true });
  return true;
}
