"""Platform connectors behind one protocol (``base.Connector``) and the one HTTP layer (``http``)."""
