//! Shown when config.json is missing or wrong: every problem with the field, what is wrong, and the fix.

use leptos::prelude::*;

use crate::config_loader::ConfigProblem;

#[component]
pub fn ConfigErrorPage(problem: ConfigProblem) -> impl IntoView {
    let body = match problem {
        ConfigProblem::Missing { url, detail } => view! {
            <p>"The app could not load its configuration from " <code>{url}</code> ": " {detail} "."</p>
            <p>
                "Deploy a config.json next to index.html (see the README's Configuration section), or run "
                <code>"cargo xtask demo"</code> ", which writes one for the local sandbox."
            </p>
        }
        .into_any(),
        ConfigProblem::Invalid { url, errors } => view! {
            <p>"The configuration at " <code>{url}</code> " has " {errors.len()} " problem(s):"</p>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Problem"</th>
                        <th scope="col">"How to fix it"</th>
                    </tr>
                </thead>
                <tbody>
                    {errors
                        .into_iter()
                        .map(|e| {
                            let field = e.field.clone();
                            view! {
                                <tr data-testid="config-error" data-field=field>
                                    <td><code>{e.field}</code></td>
                                    <td>{e.problem}</td>
                                    <td>{e.fix}</td>
                                </tr>
                            }
                            .into_any()
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    };
    view! {
        <main id="main">
            <section class="card failure" role="alert" data-testid="config-problem">
                <h1>"wxcc-console is not configured correctly"</h1>
                {body}
            </section>
        </main>
    }
}
