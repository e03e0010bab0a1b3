// The GitHub Actions workflow `handout new` writes: a pinned Handout from the Actions cache, the
// course checked (in N shards when asked), the results on the run's page, and the handouts
// published to GitHub Pages from the default branch.
import Foundation

/// `.github/workflows/handout.yml` of a new course.
///
/// Every action is pinned to a commit (its release in a comment after the SHA), every job asks for
/// the permissions it needs and no more, and no checkout keeps its token; `actionlint` and `zizmor`
/// report nothing on it (WorkflowTests).
enum CourseWorkflow {
  /// The actions the workflow uses, each at a commit, with the release that commit is (all run on
  /// the node24 runtime).
  enum Action {
    static let checkout = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
    static let cache = "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5"
    static let uploadArtifact = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0"
    static let uploadPages = "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9 # v5.0.0"
    static let deployPages = "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0"
  }

  /// Where the release archives of Handout are (`v<version>/handout-<version>-linux-x86_64.tar.gz`).
  static let releases = "https://github.com/handout-dev/handout/releases/download"

  /// The Debian packages an installed Handout needs: Cairo and libpng (figures), DejaVu fonts,
  /// cmark-gfm (Markdown), KaTeX (math); the Makefile's APT_BUILD less pkg-config.
  static let debianPackages = [
    "libcairo2-dev", "libpng-dev", "fonts-dejavu-core", "libcmark-gfm-dev", "libcmark-gfm-extensions-dev",
    "libjs-katex", "fonts-katex",
  ]

  /// The condition of the steps and jobs that publish: a push to the default branch.
  static let onDefaultBranch =
    "github.event_name == 'push' && github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"

  /// The workflow for a course checked by Handout `version`, in `shards` jobs (1: one job that
  /// checks, renders and uploads the site; more: a matrix over `check --shard K/N`, then one job
  /// that renders the site).
  static func text(version: String, shards: Int) -> String {
    var text = #"""
      # Checks every published number of the course on each push and pull request: the notebooks
      # run, their figures are drawn, and a number the text states that the code no longer produces
      # fails the job. A push to the default branch then publishes the handouts to GitHub Pages
      # (Settings > Pages > Source: GitHub Actions).
      #
      # Handout is pinned: HANDOUT_VERSION is the release of the `handout` that wrote this file
      # (`handout new`). Its archive is downloaded once, checked against its SHA-256 and kept in the
      # Actions cache under that version; later runs restore it in seconds. Change it to upgrade.
      name: handout
      on:
        push:
        pull_request:
      permissions: {}  # none by default; each job asks for what it needs
      concurrency:
        group: ${{ github.workflow }}-${{ github.ref }}
        cancel-in-progress: ${{ github.event_name == 'pull_request' }}
      env:
        HANDOUT_VERSION: "\#(version)"
        HANDOUT_RELEASES: \#(releases)
      defaults:
        run:
          shell: bash  # -e -o pipefail
      jobs:

      """#
    if shards <= 1 {
      text += job(name: "check", title: "Check the course", matrix: nil)
      text += step(
        name: "Check the course", run: "handout check --junit handout-junit.xml | tee handout-check.txt")
      text += results(junit: "handout-junit.xml", artifact: "handout-junit")
      text += render
    } else {
      let list = (1...shards).map(String.init).joined(separator: ", ")
      text += job(name: "check", title: "Check shard ${{ matrix.shard }} of \(shards)", matrix: list)
      text += #"""
              - name: Check shard ${{ matrix.shard }} of \#(shards)
                env:
                  SHARD: ${{ matrix.shard }}
                run: handout check --shard "$SHARD/\#(shards)" --junit "handout-junit-$SHARD.xml" | tee handout-check.txt

        """#
      text += results(
        junit: "handout-junit-${{ matrix.shard }}.xml", artifact: "handout-junit-${{ matrix.shard }}")
      // The site is the whole course: one job renders it once every shard has passed.
      text += #"""
          site:
            name: Render the site
            if: \#(onDefaultBranch)
            needs: check

        """#
      text += jobBody(matrix: nil)
      text += render
    }
    text += #"""
        publish:
          name: Publish to GitHub Pages
          if: \#(onDefaultBranch)
          needs: \#(shards <= 1 ? "check" : "site")
          runs-on: ubuntu-latest
          permissions:
            pages: write  # deploy the site
            id-token: write  # prove to Pages that this run made it
          environment:
            name: github-pages
            url: ${{ steps.deployment.outputs.page_url }}
          steps:
            - name: Deploy
              id: deployment
              uses: \#(Action.deployPages)

      """#
    return text
  }

  /// A job's head: its name, the container and, with `matrix`, a strategy over those shards.
  static func job(name: String, title: String, matrix: String?) -> String {
    "  \(name):\n    name: \(title)\n" + jobBody(matrix: matrix)
  }

  /// What every job that runs Handout has: the container, read-only contents, the checkout, the
  /// Debian packages, and the pinned Handout from the cache (or its release archive).
  static func jobBody(matrix: String?) -> String {
    var text = """
          runs-on: ubuntu-latest
          container: swift:6.3-bookworm  # Debian 12 with Swift 6.3, what Handout is built for
          permissions:
            contents: read  # check out the course

      """
    if let matrix {
      text += """
            strategy:
              fail-fast: false
              matrix:
                shard: [\(matrix)]

        """
    }
    let packages = debianPackages.joined(separator: " ")
    text += #"""
          steps:
            - uses: \#(Action.checkout)
              with:
                persist-credentials: false
            - name: Install what Handout needs from Debian
              run: |
                apt-get update -qq
                apt-get install -y -qq --no-install-recommends curl ca-certificates \#(packages) >/dev/null
            - name: Restore Handout ${{ env.HANDOUT_VERSION }} from the cache
              id: handout
              uses: \#(Action.cache)
              with:
                path: /opt/handout
                key: handout-${{ env.HANDOUT_VERSION }}-linux-x86_64
            - name: Download Handout ${{ env.HANDOUT_VERSION }}
              if: steps.handout.outputs.cache-hit != 'true'
              run: |
                archive="handout-$HANDOUT_VERSION-linux-x86_64.tar.gz"
                cd "$RUNNER_TEMP"
                curl -fsSLO "$HANDOUT_RELEASES/v$HANDOUT_VERSION/$archive"
                curl -fsSLO "$HANDOUT_RELEASES/v$HANDOUT_VERSION/$archive.sha256"
                sha256sum -c "$archive.sha256"
                mkdir -p /opt/handout
                tar -xzf "$archive" -C /opt/handout --strip-components=1
            - name: Put Handout on the PATH
              run: echo /opt/handout/bin >> "$GITHUB_PATH"

      """#
    return text
  }

  /// One step that runs `run`.
  static func step(name: String, run: String) -> String {
    "      - name: \(name)\n        run: \(run)\n"
  }

  /// The report on the run's page (annotations are on the files already) and the JUnit XML as an
  /// artifact, also when the check failed.
  static func results(junit: String, artifact: String) -> String {
    #"""
          - name: Show the results
            if: always()
            run: |
              { echo '## handout check'; echo '```'; grep -v '^::' handout-check.txt || true; echo '```'; } >> "$GITHUB_STEP_SUMMARY"
          - uses: \#(Action.uploadArtifact)
            if: always()
            with:
              name: \#(artifact)
              path: \#(junit)
              if-no-files-found: ignore

    """#
  }

  /// Renders the course (from the run cache the check filled, when in the same job) and, on the
  /// default branch, uploads it as the Pages artifact. upload-pages-artifact packs with
  /// `tar --dereference`, so each `<name>.html -> <name>/.page.html` link goes up as the page
  /// itself; hidden files (the links' targets, `.handout-manifest.json`) stay out.
  static let render = #"""
          - name: Render the handouts
            if: \#(onDefaultBranch)
            run: handout render --out output
          - name: Upload the site
            if: \#(onDefaultBranch)
            uses: \#(Action.uploadPages)
            with:
              path: output

    """#
}
