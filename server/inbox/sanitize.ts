// Message HTML is sanitised once, on ingest, with sanitize-html (decision 021): what is stored is
// already safe, and the browser still renders it only inside a sandboxed iframe with no scripts.
// An allow-list: formatting, links, lists, tables and inline images by data: URL only (a remote
// image is a tracking pixel); no script, style, iframe, form, event handler or javascript: URL.
import sanitizeHtml from 'sanitize-html'

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'font', 'center'],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links open outside the frame, never in it, and tell the target nothing about the inbox.
  // Images only from data: URLs (relative or remote ones would load from somewhere).
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs
      return { tagName, attribs: src && /^data:image\//i.test(src) ? { ...rest, src } : rest }
    },
  },
}

/** The message's HTML with everything that could run, load or restyle the page removed. */
export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS)
}
