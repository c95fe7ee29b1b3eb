"""Views of publication: `public` (no login: pages, feeds, the embeddable fragment) and
`manage` (publishing, unpublishing, settings, and the results announced within the unit)."""
