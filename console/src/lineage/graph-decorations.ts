/**
 * Changes to a drawn lineage that never move a node: live statuses, focus and search. Each runs
 * in one `cy.batch`, so Cytoscape restyles once however many of the thousands of nodes changed.
 */
import type { CollectionReturnValue, Core } from 'cytoscape';
import { matchesSearch, normalizeSearch } from './asset-search';
import {
  assetClasses,
  collapsedGroupClasses,
  collapsedGroupLabel,
  groupStatus,
  type StatusLookup,
} from './elements-builder';
import { type Adjacency, edgeInClosure, focusClosure } from './focus-closure';
import { ALL_STATUS_CLASSES } from './status-style';
import type { VisibleGraph } from './visible-graph';

const HIGHLIGHT_CLASSES = 'dimmed in-focus-path focused search-match search-miss';
const HIGHLIGHT_SELECTOR = HIGHLIGHT_CLASSES.split(' ')
  .map((name) => `.${name}`)
  .join(', ');

/** Sets each drawn node's status (data and class); returns how many nodes changed. */
export function applyStatuses(cy: Core, visible: VisibleGraph, statusOf: StatusLookup): number {
  let changed = 0;
  cy.batch(() => {
    for (const node of visible.assets) {
      const status = statusOf(node.key);
      const element = cy.getElementById(node.key);
      if (element.empty() || element.data('status') === status) continue;
      element.data('status', status);
      restatus(element, assetClasses(node, status));
      changed++;
    }
    for (const group of visible.groups) {
      if (!group.collapsed) continue;
      const status = groupStatus(group, statusOf);
      const element = cy.getElementById(group.id);
      if (element.empty() || element.data('status') === status) continue;
      element.data({ status, label: collapsedGroupLabel(group) });
      restatus(element, collapsedGroupClasses(status));
      changed++;
    }
  });
  return changed;
}

// Only the status class is swapped: focus and search classes on the node must survive.
function restatus(element: CollectionReturnValue, classes: string): void {
  element.removeClass(ALL_STATUS_CLASSES);
  element.addClass(classes);
}

export interface Highlight {
  /** An asset key (or a group id); inside a collapsed group, the group is focused. */
  focus: string | null;
  search: string;
}

/** Focus dims everything outside the node's upstream/downstream closure; search rings matches. */
export function applyHighlights(cy: Core, visible: VisibleGraph, adjacency: Adjacency, highlight: Highlight): void {
  const focusId = highlight.focus ? (visible.shownAs.get(highlight.focus) ?? highlight.focus) : null;
  const closure = focusId && !cy.getElementById(focusId).empty() ? focusClosure(adjacency, focusId) : null;
  const needle = normalizeSearch(highlight.search);
  const matchingGroups = new Set(
    needle
      ? visible.groups
          .filter((g) => g.collapsed && g.memberKeys.some((key) => matchesSearch(key, needle)))
          .map((g) => g.id)
      : [],
  );

  cy.batch(() => {
    // Selecting first: touching every element of a big graph costs more than the query.
    cy.elements(HIGHLIGHT_SELECTOR).removeClass(HIGHLIGHT_CLASSES);
    // Group boxes are never dimmed: a compound's opacity would fade its members too.
    const leaves = cy.nodes('.asset, .group-collapsed');
    if (closure) {
      leaves.forEach((node) => {
        const id = node.id();
        if (id === closure.focus) node.addClass('focused');
        else if (closure.upstream.has(id) || closure.downstream.has(id)) node.addClass('in-focus-path');
        else node.addClass('dimmed');
      });
      cy.edges().forEach((edge) => {
        edge.addClass(edgeInClosure(closure, edge.data('source'), edge.data('target')) ? 'in-focus-path' : 'dimmed');
      });
    }
    if (needle) {
      leaves.forEach((node) => {
        const hit = node.hasClass('asset') ? matchesSearch(node.id(), needle) : matchingGroups.has(node.id());
        if (hit) node.addClass('search-match');
        else if (!closure) node.addClass('search-miss');
      });
      if (!closure) cy.edges().addClass('search-miss');
    }
  });
}
