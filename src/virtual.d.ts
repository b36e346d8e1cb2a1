/** Modules that Vite plugins provide (see scripts/vite/). */
declare module 'virtual:plotly.css';
