/**
 * Cytoscape renderer settings by graph size. The expensive ones only matter for big graphs:
 * while panning or zooming a large graph, a cached bitmap is moved instead of redrawing
 * (`textureOnViewport`) and edges are hidden (`hideEdgesOnViewport`); the backing canvas is not
 * scaled up for high-DPI screens (`pixelRatio: 1`), which alone can quadruple the pixels drawn.
 */
import type { CytoscapeOptions } from 'cytoscape';

/** From here on the lineage uses the cheap rendering paths. */
export const LARGE_GRAPH_ELEMENTS = 1_500;

export function isLargeGraph(elementCount: number): boolean {
  return elementCount >= LARGE_GRAPH_ELEMENTS;
}

export function renderOptions(large: boolean): Partial<CytoscapeOptions> {
  return {
    motionBlur: false,
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : 'auto',
    minZoom: 0.02,
    maxZoom: 3,
    boxSelectionEnabled: false,
    autoungrabify: true,
    selectionType: 'single',
  };
}
