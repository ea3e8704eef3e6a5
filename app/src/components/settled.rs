use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};
use std::future::Future;

/// A view with nothing asynchronous inside: no `Suspend`, no resource read that the page must
/// wait for. Wrapping it tells the server so.
///
/// Why: inside a `<Suspense>`, Leptos walks the finished view twice before writing it
/// (`dry_resolve`, then `resolve`), building a future for every element and attribute. On a
/// kitchen board of 200 tickets that walk cost more than writing the HTML. A settled view skips
/// both and is written directly; in the browser it builds and hydrates exactly as before.
pub struct Settled<V>(pub V);

impl<V: Render> Render for Settled<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for Settled<V> {
    type Output<SomeNewAttr: Attribute> = V::Output<SomeNewAttr>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

impl<V: RenderHtml> RenderHtml for Settled<V> {
    // Resolving hands the view back untouched: there is nothing in it to wait for.
    type AsyncOutput = Self;
    type Owned = Settled<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {}

    fn resolve(self) -> impl Future<Output = Self::AsyncOutput> + Send {
        std::future::ready(self)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        // Nothing inside waits, so the view is written as plain HTML in one piece rather than
        // through the streaming path, which (with erased components) builds a future for
        // every component it passes.
        let mut html = String::with_capacity(self.0.html_len());
        self.0.to_html_with_buf(&mut html, position, escape, mark_branches, extra_attrs);
        buf.push_sync(&html);
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> impl Future<Output = Self::State> {
        self.0.hydrate_async(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        Settled(self.0.into_owned())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use futures::StreamExt;
    use leptos::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll, Waker};

    /// A view whose text counts how often it was asked for.
    fn counted(calls: &Arc<AtomicUsize>) -> impl IntoView {
        let calls = Arc::clone(calls);
        view! {
            <p class="line" data-n=7>
                {move || {
                    calls.fetch_add(1, Ordering::SeqCst);
                    "2 × Margherita <L>"
                }}
            </p>
        }
    }

    #[test]
    fn writes_the_same_html_as_the_view_it_wraps() {
        let calls = Arc::new(AtomicUsize::new(0));
        let plain = counted(&calls).to_html();
        let settled = Settled(counted(&calls)).to_html();
        assert_eq!(settled, plain);
        assert!(settled.contains("2 × Margherita &lt;L&gt;"), "{settled}");
    }

    #[test]
    fn streams_the_same_html_as_the_view_it_wraps() {
        let calls = Arc::new(AtomicUsize::new(0));
        let streamed = |view: AnyView| futures::executor::block_on(view.to_html_stream_in_order().collect::<String>());
        let plain = streamed(counted(&calls).into_any());
        let settled = streamed(Settled(counted(&calls)).into_any());
        assert_eq!(settled, plain);
        assert!(settled.contains("2 × Margherita &lt;L&gt;"), "{settled}");
    }

    #[test]
    fn is_resolved_at_once_without_running_the_view() {
        let calls = Arc::new(AtomicUsize::new(0));
        let mut view = Settled(counted(&calls));
        view.dry_resolve();
        let resolve = std::pin::pin!(view.resolve());
        let Poll::Ready(resolved) = resolve.poll(&mut Context::from_waker(Waker::noop())) else {
            panic!("a settled view has nothing to wait for");
        };
        assert_eq!(calls.load(Ordering::SeqCst), 0, "the passes before writing leave the view alone");
        assert!(resolved.to_html().contains("Margherita"));
        assert_eq!(calls.load(Ordering::SeqCst), 1, "written once, so run once");
    }
}
