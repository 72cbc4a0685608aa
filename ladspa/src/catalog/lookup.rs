//! Finding a plugin type in a file's record as [`Plugin::find`] does, and loading a record's
//! file or plugin type into this process after checking it is the one scanned.

use super::error::CatalogError;
use super::record::{FileRecord, FileStamp, PluginRecord};
use crate::descriptor::Descriptor;
use crate::plugin::{FindError, Plugin, Query};

impl FileRecord {
    /// The plugin type with this label, as [`Plugin::find_label`] finds it.
    pub fn find_label(&self, label: &str) -> Result<&PluginRecord, FindError> {
        self.find(&Query::Label(label.to_owned()))
    }

    /// The plugin type that matches `query`, as [`Plugin::find`] finds it: a match among the
    /// refused descriptors gives its validation error.
    pub fn find(&self, query: &Query) -> Result<&PluginRecord, FindError> {
        let found = self.plugins().iter().find(|p| p.matches(query));
        crate::plugin::found_or_why(found, self.rejected(), query, &self.path)
    }

    /// Loads the file into this process, after checking that it is the file that was scanned.
    ///
    /// # Safety
    /// As for [`Plugin::load`]: the file runs its code in this process. That it loaded in a
    /// worker does not make it safe to load (see the [module documentation](super)).
    pub unsafe fn load(&self) -> Result<Plugin, CatalogError> {
        if !self.is_current() {
            return Err(CatalogError::Changed {
                file: self.path.clone(),
            });
        }
        // SAFETY: the caller's promise, passed on.
        Ok(unsafe { Plugin::load(&self.path) }?)
    }
}

impl PluginRecord {
    pub(super) fn matches(&self, query: &Query) -> bool {
        match query {
            Query::Label(label) => self.label() == label.as_str(),
            Query::UniqueId(id) => self.unique_id() == *id,
        }
    }

    /// Loads this plugin type's file into this process and gives its descriptor, after checking
    /// that the file is the one scanned and still holds this plugin type (same index, label and
    /// unique ID).
    ///
    /// # Safety
    /// As for [`Plugin::load`]: the file runs its code in this process.
    pub unsafe fn load(&self) -> Result<Descriptor, CatalogError> {
        if self.stamp.is_none() || FileStamp::of(&self.file).ok() != self.stamp {
            return Err(CatalogError::Changed {
                file: self.file.clone(),
            });
        }
        // SAFETY: the caller's promise, passed on.
        let plugin = unsafe { Plugin::load(&self.file) }?;
        plugin
            .descriptors()
            .iter()
            .find(|d| {
                d.index() == self.index()
                    && d.unique_id() == self.unique_id()
                    && d.label() == self.label()
            })
            .cloned()
            .ok_or_else(|| CatalogError::Missing {
                file: self.file.clone(),
                index: self.index(),
                label: self.label().to_string(),
                unique_id: self.unique_id(),
            })
    }
}
