/**
 * Dragging notes with the pointer: after a few pixels of movement the note follows the pointer
 * (a CSS transform on the element, no document writes), and on release `onDrop` gets the element
 * under the pointer, from which the board decides the lane or theme and the position.
 */

const THRESHOLD = 4;

export function startNoteDrag(
  event: React.PointerEvent<HTMLElement>,
  onDrop: (target: Element) => void,
): void {
  const element = event.currentTarget;
  const start = { x: event.clientX, y: event.clientY };
  let dragging = false;
  const pointerId = event.pointerId;

  const move = (e: PointerEvent): void => {
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    if (!dragging && Math.hypot(dx, dy) < THRESHOLD) return;
    if (!dragging) {
      dragging = true;
      element.setPointerCapture(pointerId);
      element.classList.add('dragging');
    }
    // The canvas may be zoomed: move in screen pixels by undoing the ancestors' scale.
    const scale = element.getBoundingClientRect().width / element.offsetWidth || 1;
    element.style.transform = `translate(${dx / scale}px, ${dy / scale}px)`;
  };
  const up = (e: PointerEvent): void => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', up);
    if (!dragging) return;
    element.classList.remove('dragging');
    element.style.transform = '';
    // What is under the pointer, ignoring the dragged note itself.
    const target = document
      .elementsFromPoint(e.clientX, e.clientY)
      .find((el) => !element.contains(el) && el !== element);
    if (target && e.type === 'pointerup') onDrop(target);
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('pointercancel', up);
}
