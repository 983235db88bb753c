//! The snapshot store: captures as plain files, `<store>/<host>/<path>/<timestamp>.html`,
//! with metadata beside them, written atomically; offline replay reads only this.
