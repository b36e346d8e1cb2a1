/**
 * Keeps a canvas's backing store at exactly cols × rows and puts the pixels in whenever they change. A redraw is
 * one putImageData (well under a millisecond for 512 × 768); CSS scales the canvas on screen.
 */
import { useEffect, useRef } from 'react';

/** A ref for a `<canvas>` that shows these pixels, one per cell. */
export function useCanvasPixels(pixels: Uint8ClampedArray<ArrayBuffer>, cols: number, rows: number) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || cols === 0 || rows === 0) return;
    // Assigning a size clears the canvas and reallocates it, so only do it when the shape changed.
    if (canvas.width !== cols) canvas.width = cols;
    if (canvas.height !== rows) canvas.height = rows;
    canvas.getContext('2d')?.putImageData(new ImageData(pixels, cols, rows), 0, 0);
  }, [pixels, cols, rows]);
  return ref;
}
