// The whole tree of one conversation, read page by page with messagesInTree: what the
// sibling switcher and the tree view need to know beyond the branch on screen.
import { request } from "./api";
import {
  TreePageDocument,
  type BranchFieldsFragment,
  type TreePageQuery,
} from "./generated/graphql";

type TreeRow = NonNullable<TreePageQuery["conversation"]>["messagesInTree"]["nodes"][number];

export interface TreeNode {
  id: string;
  role: string;
  content: string;
  parentId: string | null;
  siblingIndex: number;
  children: TreeNode[];
}

export class Tree {
  readonly nodes = new Map<string, TreeNode>();
  readonly roots: TreeNode[] = [];

  constructor(rows: TreeRow[]) {
    for (const row of rows) {
      this.nodes.set(row.id, {
        id: row.id,
        role: row.role,
        content: row.content,
        parentId: row.parent?.id ?? null,
        siblingIndex: row.siblingIndex,
        children: [],
      });
    }
    for (const node of this.nodes.values()) {
      const parent = node.parentId ? this.nodes.get(node.parentId) : undefined;
      (parent ? parent.children : this.roots).push(node);
    }
    const bySiblingIndex = (a: TreeNode, b: TreeNode): number => a.siblingIndex - b.siblingIndex;
    this.roots.sort(bySiblingIndex);
    for (const node of this.nodes.values()) node.children.sort(bySiblingIndex);
  }

  static async read(conversationId: string): Promise<Tree> {
    const rows: TreeRow[] = [];
    let after: string | null = null;
    for (;;) {
      const data: TreePageQuery = await request(TreePageDocument, {
        id: conversationId,
        first: 100,
        after,
      });
      const page = data.conversation?.messagesInTree;
      if (!page) break;
      rows.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return new Tree(rows);
  }

  siblingsOf(id: string): TreeNode[] {
    const node = this.nodes.get(id);
    if (!node) return [];
    const parent = node.parentId ? this.nodes.get(node.parentId) : undefined;
    return parent ? parent.children : this.roots;
  }

  /** The ids on the path root -> id. */
  pathTo(id: string | null | undefined): Set<string> {
    const path = new Set<string>();
    let node = id ? this.nodes.get(id) : undefined;
    while (node && !path.has(node.id)) {
      path.add(node.id);
      node = node.parentId ? this.nodes.get(node.parentId) : undefined;
    }
    return path;
  }

  /** The branch to show for a message: of those whose path holds it, the one last changed
   * (as ChatGPT and LibreChat go back to where that version's conversation left off). */
  branchThrough(id: string, branches: BranchFieldsFragment[]): BranchFieldsFragment | null {
    let best: BranchFieldsFragment | null = null;
    for (const branch of branches) {
      if (!branch.tip || !this.pathTo(branch.tip.id).has(id)) continue;
      if (!best || branch.updatedAt > best.updatedAt) best = branch;
    }
    return best;
  }
}
