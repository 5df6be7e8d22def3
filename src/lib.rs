//! wxcc-console: sign in to Webex Contact Center from a static page and call its APIs from the browser.
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| view! { <p>"Page not found."</p> }>
                    <Route path=path!("/") view=Home/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    view! {
        <h1>"wxcc-console"</h1>
        <p>"Sign in to Webex Contact Center and call its APIs from your browser."</p>
    }
}
