// A small element builder: the page is plain DOM, so it ships no framework.

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | number | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children.filter((child): child is Node | string => Boolean(child)));
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Text with the search marks (U+0001 … U+0002) as <mark> elements; never parsed as HTML. */
export function marked(text: string): Node[] {
  const nodes: Node[] = [];
  for (const part of text.split("\u0001")) {
    const end = part.indexOf("\u0002");
    if (end < 0) {
      nodes.push(document.createTextNode(part));
      continue;
    }
    nodes.push(h("mark", {}, part.slice(0, end)), document.createTextNode(part.slice(end + 1)));
  }
  return nodes;
}

export function debounce(action: () => void, milliseconds: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(action, milliseconds);
  };
}
