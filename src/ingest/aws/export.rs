//! Model → AWS `describe-*` snapshot files (the layout [`super::load_dir`] reads).
