/**
 * The lineage canvas from the keyboard (see LineageGraph): arrow keys move between drawn nodes
 * (see keyboard-navigation), Home goes to the first, Enter opens the asset or expands a
 * collapsed group, Escape clears. The node stood on carries the `keyboard-focus` class, and each
 * move is told in `announcement` (a polite live region).
 */
import type { Core } from 'cytoscape';
import { ref } from 'vue';
import type { Adjacency } from './focus-closure';
import { firstNode, isArrowKey, nextNode, type Point } from './keyboard-navigation';
import type { AssetStatus } from './lineage-types';
import { STATUS_LOOKS } from './status-style';

export interface GraphKeyboardOptions {
  /** The graph's Cytoscape instance (null before the first draw). */
  cy(): Core | null;
  adjacency(): Adjacency;
  statusOf(key: string): AssetStatus;
  /** No viewport to scroll (tests). */
  headless: boolean;
  select(key: string | null): void;
  toggleGroup(group: string): void;
}

export function useGraphKeyboard(options: GraphKeyboardOptions) {
  /** The node keyboard navigation stands on (an asset key or a collapsed group's node id). */
  const keyboardNode = ref<string | null>(null);
  const announcement = ref('');

  /** Drawn positions of the nodes one can move to: assets and collapsed groups. */
  function navigablePositions(cy: Core): Map<string, Point> {
    const positions = new Map<string, Point>();
    cy.nodes('node.asset, node.group-collapsed').forEach((node) => {
      positions.set(node.id(), { ...node.position() });
    });
    return positions;
  }

  /** Marks the keyboard's node (again, after a redraw), or forgets it when it is gone. */
  function showKeyboardNode(): void {
    const cy = options.cy();
    if (!cy) return;
    cy.nodes('.keyboard-focus').removeClass('keyboard-focus');
    if (keyboardNode.value === null) return;
    const node = cy.getElementById(keyboardNode.value);
    if (node.empty()) keyboardNode.value = null;
    else node.addClass('keyboard-focus');
  }

  function describeNode(cy: Core, id: string): string {
    const node = cy.getElementById(id);
    if (node.empty()) return '';
    if (node.hasClass('group-collapsed')) return `Group ${node.data('groupName')}, collapsed. Enter expands it.`;
    const adjacency = options.adjacency();
    const upstream = adjacency.upstreamOf.get(id)?.length ?? 0;
    const downstream = adjacency.downstreamOf.get(id)?.length ?? 0;
    const status = STATUS_LOOKS[options.statusOf(id)].label.toLowerCase();
    return `${id}, ${status}. ${upstream} upstream, ${downstream} downstream. Enter opens it.`;
  }

  function moveTo(cy: Core, id: string): void {
    keyboardNode.value = id;
    showKeyboardNode();
    announcement.value = describeNode(cy, id);
    const node = cy.getElementById(id);
    if (node.empty() || options.headless) return;
    // Bring it into view only when it is off screen: the view does not jump at every key.
    const box = node.renderedBoundingBox();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(node);
  }

  function onKeydown(event: KeyboardEvent): void {
    const cy = options.cy();
    if (!cy) return;
    const positions = navigablePositions(cy);
    const current = keyboardNode.value !== null && positions.has(keyboardNode.value) ? keyboardNode.value : null;
    if (isArrowKey(event.key) || event.key === 'Home') {
      event.preventDefault();
      const start = firstNode(positions);
      const target = current === null || event.key === 'Home' ? start : nextNode(current, event.key, positions);
      if (target !== null) moveTo(cy, target);
      return;
    }
    if ((event.key === 'Enter' || event.key === ' ') && current !== null) {
      event.preventDefault();
      const node = cy.getElementById(current);
      if (node.hasClass('group-collapsed')) options.toggleGroup(node.data('groupName'));
      else options.select(current);
      return;
    }
    if (event.key === 'Escape' && current !== null) {
      keyboardNode.value = null;
      showKeyboardNode();
      announcement.value = 'No asset selected.';
      options.select(null);
    }
  }

  return { announcement, onKeydown, showKeyboardNode };
}
