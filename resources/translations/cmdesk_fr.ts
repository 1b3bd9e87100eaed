<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Sign in again — {0}</source>
        <translation>Se reconnecter — {0}</translation>
    </message>
    <message>
        <source>Sign in to {0} again as {1}. Its history and settings are kept.</source>
        <translation>Reconnectez-vous à {0} en tant que {1}. Son historique et ses paramètres sont conservés.</translation>
    </message>
    <message>
        <source>Access &amp;token</source>
        <translation>&amp;Jeton d&apos;accès</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>&amp;Mot de passe</translation>
    </message>
    <message>
        <source>Optional with a token</source>
        <translation>Facultatif avec un jeton</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>Annuler la connexion</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Registering CMDesk with {0}…</source>
        <translation>Enregistrement de CMDesk auprès de {0}…</translation>
    </message>
    <message>
        <source>Signing in to Bluesky as {0}…</source>
        <translation>Connexion à Bluesky en tant que {0}…</translation>
    </message>
    <message>
        <source>Signing in to {0}…</source>
        <translation>Connexion à {0}…</translation>
    </message>
    <message>
        <source>The sign-in failed unexpectedly: {0}</source>
        <translation>La connexion a échoué de façon inattendue : {0}</translation>
    </message>
    <message>
        <source>Waiting for your approval in the browser…</source>
        <translation>En attente de votre autorisation dans le navigateur…</translation>
    </message>
    <message>
        <source>Approve CMDesk on the instance&apos;s page, then paste the code it shows.</source>
        <translation>Autorisez CMDesk sur la page de l&apos;instance, puis collez le code qu&apos;elle affiche.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
    <message>
        <source>Signed in as {0}; saving…</source>
        <translation>Connecté en tant que {0} ; enregistrement…</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>Connexion annulée.</translation>
    </message>
    <message>
        <source>Address copied.</source>
        <translation>Adresse copiée.</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Ajouter un compte</translation>
    </message>
    <message>
        <source>Sign in to the account CMDesk should sync. Passwords and tokens are kept in your system&apos;s keyring, never in CMDesk&apos;s files.</source>
        <translation>Connectez-vous au compte que CMDesk doit synchroniser. Les mots de passe et les jetons sont conservés dans le trousseau du système, jamais dans les fichiers de CMDesk.</translation>
    </message>
    <message>
        <source>&amp;Platform</source>
        <translation>&amp;Plateforme</translation>
    </message>
    <message>
        <source>&amp;Name in CMDesk</source>
        <translation>&amp;Nom dans CMDesk</translation>
    </message>
    <message>
        <source>Optional: the account&apos;s handle by default</source>
        <translation>Facultatif : l&apos;identifiant du compte par défaut</translation>
    </message>
    <message>
        <source>&amp;Instance</source>
        <translation>&amp;Instance</translation>
    </message>
    <message>
        <source>mastodon.social</source>
        <translation>mastodon.social</translation>
    </message>
    <message>
        <source>Also ask for moderator rights (suspend or silence accounts)</source>
        <translation>Demander aussi les droits de modération (suspendre ou limiter des comptes)</translation>
    </message>
    <message>
        <source>CMDesk opens your instance&apos;s page in your web browser. You sign in and approve there: your password and second factor are typed on the instance&apos;s page, never in CMDesk.</source>
        <translation>CMDesk ouvre la page de votre instance dans votre navigateur web. Vous vous y connectez et donnez votre autorisation : votre mot de passe et votre second facteur sont saisis sur la page de l&apos;instance, jamais dans CMDesk.</translation>
    </message>
    <message>
        <source>Approve CMDesk in your browser</source>
        <translation>Autorisez CMDesk dans votre navigateur</translation>
    </message>
    <message>
        <source>Your browser shows the instance&apos;s page. CMDesk continues by itself once you approve.</source>
        <translation>Votre navigateur affiche la page de l&apos;instance. CMDesk poursuit de lui-même dès que vous avez autorisé l&apos;accès.</translation>
    </message>
    <message>
        <source>Open the page again</source>
        <translation>Rouvrir la page</translation>
    </message>
    <message>
        <source>Copy its address</source>
        <translation>Copier son adresse</translation>
    </message>
    <message>
        <source>Browser on another device? Open the code page there, approve, then paste the code it shows:</source>
        <translation>Navigateur sur un autre appareil ? Ouvrez-y la page du code, autorisez l&apos;accès, puis collez le code affiché :</translation>
    </message>
    <message>
        <source>Copy the code page&apos;s address</source>
        <translation>Copier l&apos;adresse de la page du code</translation>
    </message>
    <message>
        <source>Paste the code</source>
        <translation>Collez le code</translation>
    </message>
    <message>
        <source>Use this code</source>
        <translation>Utiliser ce code</translation>
    </message>
    <message>
        <source>&amp;Handle</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <source>alice.bsky.social</source>
        <translation>alice.bsky.social</translation>
    </message>
    <message>
        <source>&amp;App password</source>
        <translation>Mot de passe d&apos;&amp;application</translation>
    </message>
    <message>
        <source>xxxx-xxxx-xxxx-xxxx</source>
        <translation>xxxx-xxxx-xxxx-xxxx</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Serveur</translation>
    </message>
    <message>
        <source>https://bsky.social (accounts hosted by Bluesky)</source>
        <translation>https://bsky.social (comptes hébergés par Bluesky)</translation>
    </message>
    <message>
        <source>Use an app password, not your main password: create one in Bluesky under Settings → Privacy and security → App passwords. It can be revoked on its own and cannot change your account.</source>
        <translation>Utilisez un mot de passe d&apos;application, pas votre mot de passe principal : créez-en un dans Bluesky sous Paramètres → Confidentialité et sécurité → Mots de passe d&apos;application. Il peut être révoqué séparément et ne permet pas de modifier votre compte.</translation>
    </message>
    <message>
        <source>H&amp;omeserver</source>
        <translation>Serveur d&apos;a&amp;ccueil</translation>
    </message>
    <message>
        <source>matrix.org</source>
        <translation>matrix.org</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Utilisateur</translation>
    </message>
    <message>
        <source>@alice:matrix.org</source>
        <translation>@alice:matrix.org</translation>
    </message>
    <message>
        <source>Sign in with an access token instead (servers with single sign-on)</source>
        <translation>Se connecter plutôt avec un jeton d&apos;accès (serveurs à authentification unique)</translation>
    </message>
    <message>
        <source>The homeserver is the part after the colon in your Matrix ID. CMDesk syncs the rooms this account moderates.</source>
        <translation>Le serveur d&apos;accueil est la partie qui suit les deux-points dans votre identifiant Matrix. CMDesk synchronise les salons que ce compte modère.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
</context>
<context>
    <name>AccountSettings</name>
    <message>
        <source>Account settings</source>
        <translation>Paramètres du compte</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Use the workspace&apos;s interval</source>
        <translation>Utiliser l&apos;intervalle de l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Check &amp;every</source>
        <translation>&amp;Vérifier toutes les</translation>
    </message>
    <message>
        <source>While a conversation is active CMDesk checks more often; a quiet account is checked less often.</source>
        <translation>Pendant une conversation active, CMDesk vérifie plus souvent ; un compte calme est vérifié moins souvent.</translation>
    </message>
    <message>
        <source>Moderation on Mastodon</source>
        <translation>Modération sur Mastodon</translation>
    </message>
    <message>
        <source>&amp;Banning an author</source>
        <translation>&amp;Bannir un auteur</translation>
    </message>
    <message>
        <source>Rooms to sync</source>
        <translation>Salons à synchroniser</translation>
    </message>
    <message>
        <source>#community:example.org</source>
        <translation>#community:example.org</translation>
    </message>
    <message>
        <source>One room per line (an alias #room:server or an id !id:server). Empty: every room this account has joined.</source>
        <translation>Un salon par ligne (un alias #salon:serveur ou un identifiant !id:serveur). Vide : tous les salons rejoints par ce compte.</translation>
    </message>
    <message>
        <source>Sign in again…</source>
        <translation>Se reconnecter…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Remove account…</source>
        <translation>Retirer le compte…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
</context>
<context>
    <name>AccountSettingsDialog</name>
    <message>
        <source>Suspend the account</source>
        <translation>Suspendre le compte</translation>
    </message>
    <message>
        <source>Silence (limit) the account</source>
        <translation>Limiter le compte (le rendre silencieux)</translation>
    </message>
    <message>
        <source>What “Ban author” does. It needs a sign-in with moderator rights (Sign in again…).</source>
        <translation>Effet de « Bannir l&apos;auteur ». Nécessite une connexion avec les droits de modération (Se&#xa0;reconnecter…).</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Use the workspace&apos;s interval ({0} s)</source>
        <translation>Utiliser l&apos;intervalle de l&apos;espace de travail ({0} s)</translation>
    </message>
    <message>
        <source>Last synced {0} · {1} items in CMDesk</source>
        <translation>Dernière synchronisation : {0} · {1} messages dans CMDesk</translation>
    </message>
    <message>
        <source>Not synced yet · {0} items in CMDesk</source>
        <translation>Pas encore synchronisé · {0} messages dans CMDesk</translation>
    </message>
    <message>
        <source>Signed out or session ended: sign in again to sync. {0}</source>
        <translation>Déconnecté ou session expirée : reconnectez-vous pour synchroniser. {0}</translation>
    </message>
    <message>
        <source>Last problem: {0}</source>
        <translation>Dernier problème : {0}</translation>
    </message>
    <message>
        <source>Synced: mentions, replies and direct messages.</source>
        <translation>Synchronisés : mentions, réponses et messages privés.</translation>
    </message>
    <message>
        <source>Synced: replies, mentions and quotes of this account&apos;s posts.</source>
        <translation>Synchronisés : réponses, mentions et citations des publications de ce compte.</translation>
    </message>
    <message>
        <source>Synced: the messages of the rooms above (replies, mentions, direct messages).</source>
        <translation>Synchronisés : les messages des salons ci-dessus (réponses, mentions, messages privés).</translation>
    </message>
    <message>
        <source>Settings of {0} saved.</source>
        <translation>Paramètres de {0} enregistrés.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Sign out of {0}? CMDesk ends the session on {1} and deletes the password or token from your keyring. The history stays on this computer; sign in again to sync.</source>
        <translation>Se déconnecter de {0} ? CMDesk ferme la session sur {1} et efface le mot de passe ou le jeton du trousseau du système. L&apos;historique reste sur cet ordinateur ; reconnectez-vous pour synchroniser.</translation>
    </message>
    <message>
        <source>Signed out of {0}.</source>
        <translation>Déconnecté de {0}.</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Retirer le compte</translation>
    </message>
    <message>
        <source>Remove {0} ({1} {2})? Its {3} items, with their notes and tags, are deleted from this computer, and its password or token from your keyring. This cannot be undone.</source>
        <translation>Retirer {0} ({1} {2}) ? Ses {3} messages, avec leurs notes et étiquettes, seront effacés de cet ordinateur, et son mot de passe ou jeton du trousseau du système. Cette action est irréversible.</translation>
    </message>
    <message>
        <source>The account is still busy syncing; nothing was removed. Try again.</source>
        <translation>Le compte est encore en cours de synchronisation ; rien n&apos;a été retiré. Réessayez.</translation>
    </message>
    <message>
        <source>Removed {0}.</source>
        <translation>{0} retiré.</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <source>Add account…</source>
        <translation>Ajouter un compte…</translation>
    </message>
    <message>
        <source>Account settings…</source>
        <translation>Paramètres du compte…</translation>
    </message>
    <message>
        <source>No account yet: add one first.</source>
        <translation>Aucun compte pour l&apos;instant : ajoutez-en un d&apos;abord.</translation>
    </message>
    <message>
        <source>Added {0}. Its messages arrive with the next sync.</source>
        <translation>{0} ajouté. Ses messages arriveront à la prochaine synchronisation.</translation>
    </message>
    <message>
        <source>{0} is signed in again.</source>
        <translation>{0} est reconnecté.</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>Palette de commandes</translation>
    </message>
    <message>
        <source>Type a command…</source>
        <translation>Tapez une commande…</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Posture guidelines of this template&apos;s category</source>
        <translation>Charte de la catégorie de ce modèle</translation>
    </message>
    <message>
        <source>Write a reply… (r to focus, / for templates, Ctrl+Enter to send)</source>
        <translation>Écrire une réponse… (r pour y aller, / pour les modèles, Ctrl+Entrée pour envoyer)</translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation>Modèles…</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Envoyer la réponse</translation>
    </message>
    <message>
        <source>Select an item to answer.</source>
        <translation>Sélectionnez un message pour y répondre.</translation>
    </message>
    <message>
        <source>Too long for {0}: {1} of {2} allowed.</source>
        <translation>Trop long pour {0} : {1} sur {2} autorisés.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Add a tag (t)</source>
        <translation>Ajouter une étiquette (t)</translation>
    </message>
    <message>
        <source>Open on platform</source>
        <translation>Ouvrir sur la plateforme</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>⏳ {0}: sending…</source>
        <translation>⏳ {0} : envoi en cours…</translation>
    </message>
    <message>
        <source>(will retry: {0})</source>
        <translation>(nouvel essai prévu : {0})</translation>
    </message>
    <message>
        <source>✕ {0}: no longer possible — {1}</source>
        <translation>✕ {0} : plus possible — {1}</translation>
    </message>
    <message>
        <source>⚠ {0} not sent: {1}</source>
        <translation>⚠ {0} non envoyé : {1}</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>Block the author</source>
        <translation>Bloquer l&apos;auteur</translation>
    </message>
    <message>
        <source>Mute the author</source>
        <translation>Mettre l&apos;auteur en sourdine</translation>
    </message>
    <message>
        <source>Ban the author</source>
        <translation>Bannir l&apos;auteur</translation>
    </message>
    <message>
        <source>Lift the ban</source>
        <translation>Lever le bannissement</translation>
    </message>
    <message>
        <source>Report to the platform…</source>
        <translation>Signaler à la plateforme…</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>Aucune sélection</translation>
    </message>
    <message>
        <source>Pick an item in the list (j/k to move).</source>
        <translation>Choisissez un message dans la liste (j/k pour naviguer).</translation>
    </message>
    <message>
        <source>Flagged: {0}</source>
        <translation>Signalé : {0}</translation>
    </message>
    <message>
        <source>Open again (e)</source>
        <translation>Rouvrir (e)</translation>
    </message>
    <message>
        <source>Done (e)</source>
        <translation>Terminé (e)</translation>
    </message>
    <message>
        <source>This platform gave no web address for the item.</source>
        <translation>Cette plateforme n&apos;a pas donné d&apos;adresse web pour ce message.</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Aucune étiquette</translation>
    </message>
    <message>
        <source>You · not sent yet</source>
        <translation>Vous · pas encore envoyé</translation>
    </message>
    <message>
        <source>{0} — {1} items in this account&apos;s history</source>
        <translation>{0} — {1} messages dans l&apos;historique de ce compte</translation>
    </message>
    <message>
        <source>Notes ({0})</source>
        <translation>Notes ({0})</translation>
    </message>
    <message>
        <source>Hide (h)</source>
        <translation>Masquer (h)</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Unhide (u)</source>
        <translation>Démasquer (u)</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Author…</source>
        <translation>Auteur…</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Internal note, never sent (n)</source>
        <translation>Note interne, jamais envoyée (n)</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Exported {0} items to {1}</source>
        <translation>{0} messages exportés vers {1}</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>L&apos;export a échoué : {0}</translation>
    </message>
    <message>
        <source>Export items</source>
        <translation>Exporter les messages</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Exported {0} items…</source>
        <translation>{0} messages exportés…</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>hier</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Flagged: {0} (severity {1})</source>
        <translation>Signalé : {0} (gravité {1})</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Répondu</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>Mention</translation>
    </message>
    <message>
        <source>Direct message</source>
        <translation>Message privé</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Avis</translation>
    </message>
    <message>
        <source>Visible</source>
        <translation>Visible</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>Masqué</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Waiting for a moderator</source>
        <translation>En attente de modération</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <source>Moderated</source>
        <translation>Modéré</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Unanswered</source>
        <translation>Sans réponse</translation>
    </message>
    <message>
        <source>Moderation queue</source>
        <translation>File de modération</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source>Unhide</source>
        <translation>Démasquer</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Ban the author</source>
        <translation>Bannir l&apos;auteur</translation>
    </message>
    <message>
        <source>Lift the ban</source>
        <translation>Lever le bannissement</translation>
    </message>
    <message>
        <source>Block the author</source>
        <translation>Bloquer l&apos;auteur</translation>
    </message>
    <message>
        <source>Mute the author</source>
        <translation>Mettre l&apos;auteur en sourdine</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Signaler</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approuvé</translation>
    </message>
    <message>
        <source>not abusive</source>
        <translation>non abusif</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>masqué</translation>
    </message>
    <message>
        <source>unhidden</source>
        <translation>démasqué</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>supprimé</translation>
    </message>
    <message>
        <source>marked as spam</source>
        <translation>marqué comme spam</translation>
    </message>
    <message>
        <source>author banned</source>
        <translation>auteur banni</translation>
    </message>
    <message>
        <source>author blocked</source>
        <translation>auteur bloqué</translation>
    </message>
    <message>
        <source>{0}: {1} — {2}</source>
        <translation>{0} : {1} — {2}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CMDesk</source>
        <translation>CMDesk</translation>
    </message>
    <message>
        <source>Search — words, &quot;a phrase&quot;, prefix*, -without, from:author  (/)</source>
        <translation>Rechercher — mots, &quot;une phrase&quot;, préfixe*, -sans, from:auteur  (/)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Item</source>
        <translation>&amp;Message</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>CMDesk — demo workspace</source>
        <translation>CMDesk — espace de démonstration</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tous statuts</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>Toutes plateformes</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Toutes dates</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 h</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>Dernière année</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>Toutes étiquettes</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Stop the current sync</source>
        <translation>Arrêter la synchronisation en cours</translation>
    </message>
    <message>
        <source>Export items…</source>
        <translation>Exporter les messages…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Next item</source>
        <translation>Message suivant</translation>
    </message>
    <message>
        <source>Previous item</source>
        <translation>Message précédent</translation>
    </message>
    <message>
        <source>Mark done / open again</source>
        <translation>Marquer terminé / rouvrir</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <source>Add a tag</source>
        <translation>Ajouter une étiquette</translation>
    </message>
    <message>
        <source>Add an internal note</source>
        <translation>Ajouter une note interne</translation>
    </message>
    <message>
        <source>Mark as spam</source>
        <translation>Marquer comme spam</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Marquer comme non lu</translation>
    </message>
    <message>
        <source>Hide on the platform</source>
        <translation>Masquer sur la plateforme</translation>
    </message>
    <message>
        <source>Unhide on the platform</source>
        <translation>Démasquer sur la plateforme</translation>
    </message>
    <message>
        <source>Delete on the platform…</source>
        <translation>Supprimer sur la plateforme…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Command palette</source>
        <translation>Palette de commandes</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Show: {0}</source>
        <translation>Afficher : {0}</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>About CMDesk</source>
        <translation>À propos de CMDesk</translation>
    </message>
    <message>
        <source>Moderation needs the outbox, not running here.</source>
        <translation>La modération passe par la file d&apos;envoi, qui ne tourne pas ici.</translation>
    </message>
    <message>
        <source>Replies are sent by the outbox, which is not running in this window.</source>
        <translation>Les réponses passent par la file d&apos;envoi, qui ne tourne pas dans cette fenêtre.</translation>
    </message>
    <message>
        <source> — Undo: Ctrl+Z</source>
        <translation> — Annuler : Ctrl+Z</translation>
    </message>
    <message>
        <source>{0} item(s) marked {1}</source>
        <translation>{0} message(s) marqué(s) « {1} »</translation>
    </message>
    <message>
        <source>{0} item(s) marked as spam</source>
        <translation>{0} message(s) marqué(s) comme spam</translation>
    </message>
    <message>
        <source>Tagged {0} item(s) #{1}</source>
        <translation>{0} message(s) étiqueté(s) #{1}</translation>
    </message>
    <message>
        <source>Note added</source>
        <translation>Note ajoutée</translation>
    </message>
    <message>
        <source>Reply queued; sending…</source>
        <translation>Réponse dans la file d&apos;envoi ; envoi en cours…</translation>
    </message>
    <message>
        <source>Not possible for these items.</source>
        <translation>Impossible pour ces messages.</translation>
    </message>
    <message>
        <source>Why are you reporting this?</source>
        <translation>Pourquoi signalez-vous ce contenu ?</translation>
    </message>
    <message>
        <source>{0}: {1} item(s) queued</source>
        <translation>{0} : {1} message(s) dans la file d&apos;envoi</translation>
    </message>
    <message>
        <source>{0} item(s): {1}</source>
        <translation>{0} message(s) : {1}</translation>
    </message>
    <message>
        <source>{0} — {1} item(s)? This is done on the platform itself.</source>
        <translation>{0} — {1} message(s) ? L&apos;action est effectuée sur la plateforme elle-même.</translation>
    </message>
    <message>
        <source>Sending again</source>
        <translation>Nouvel envoi</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Abandonné</translation>
    </message>
    <message>
        <source>This window is offline.</source>
        <translation>Cette fenêtre est hors ligne.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Sync stopped; it continues at the next poll.</source>
        <translation>Synchronisation arrêtée ; elle reprendra à la prochaine vérification.</translation>
    </message>
    <message>
        <source>Undone: {0}</source>
        <translation>Annulé : {0}</translation>
    </message>
    <message>
        <source>{0}{1} items</source>
        <translation>{0}{1} messages</translation>
    </message>
    <message>
        <source> · {0} selected</source>
        <translation> · {0} sélectionné(s)</translation>
    </message>
    <message>
        <source>(click to dismiss)</source>
        <translation>(cliquer pour fermer)</translation>
    </message>
    <message>
        <source>The language changes the next time CMDesk starts.</source>
        <translation>La langue change au prochain démarrage de CMDesk.</translation>
    </message>
    <message>
        <source>CMDesk {0}
One local inbox for your social accounts. Your data stays on this computer.</source>
        <translation>CMDesk {0}
Une boîte de réception locale pour vos comptes sociaux. Vos données restent sur cet ordinateur.</translation>
    </message>
    <message>
        <source>{0}: syncing… {1} items so far</source>
        <translation>{0} : synchronisation… {1} messages pour l&apos;instant</translation>
    </message>
    <message>
        <source>{0}: syncing…</source>
        <translation>{0} : synchronisation…</translation>
    </message>
    <message>
        <source>{0} must sign in again: {1}</source>
        <translation>{0} doit se reconnecter : {1}</translation>
    </message>
    <message>
        <source>{0}: no network connection, sync resumes when it is back</source>
        <translation>{0} : pas de connexion réseau, la synchronisation reprendra à son retour</translation>
    </message>
    <message>
        <source>{0}: offline, retrying later ({1})</source>
        <translation>{0} : hors ligne, nouvel essai plus tard ({1})</translation>
    </message>
    <message>
        <source>{0}: problem, retrying later ({1})</source>
        <translation>{0} : problème, nouvel essai plus tard ({1})</translation>
    </message>
    <message>
        <source>synced at {0}</source>
        <translation>synchronisé à {0}</translation>
    </message>
    <message>
        <source>next at {0}</source>
        <translation>prochaine à {0}</translation>
    </message>
    <message>
        <source>{0} new</source>
        <translation>{0} nouveau(x)</translation>
    </message>
</context>
<context>
    <name>Moderation</name>
    <message>
        <source>&amp;Moderation</source>
        <translation>Mo&amp;dération</translation>
    </message>
    <message>
        <source>Approve (keep it, leave the queue)</source>
        <translation>Approuver (garder, sortir de la file)</translation>
    </message>
    <message>
        <source>Not abusive (teach the model)</source>
        <translation>Non abusif (entraîne le modèle)</translation>
    </message>
    <message>
        <source>Queue: most severe first</source>
        <translation>File : les plus graves d’abord</translation>
    </message>
    <message>
        <source>Run the rules on the selection</source>
        <translation>Appliquer les règles à la sélection</translation>
    </message>
    <message>
        <source>Rules and learning…</source>
        <translation>Règles et apprentissage…</translation>
    </message>
    <message>
        <source>Rules run on {0} item(s)</source>
        <translation>Règles appliquées à {0} message(s)</translation>
    </message>
</context>
<context>
    <name>RulesEditor</name>
    <message>
        <source>No matches yet</source>
        <translation>Aucune correspondance pour l&apos;instant</translation>
    </message>
    <message>
        <source>Fix the errors first.</source>
        <translation>Corrigez d&apos;abord les erreurs.</translation>
    </message>
    <message>
        <source>Trying {0} on the history…</source>
        <translation>Essai de {0} sur l&apos;historique…</translation>
    </message>
    <message>
        <source>The preview failed: {0}</source>
        <translation>L&apos;aperçu a échoué : {0}</translation>
    </message>
    <message>
        <source>Preview cancelled.</source>
        <translation>Aperçu annulé.</translation>
    </message>
    <message>
        <source>{0} of {1} stored items would have matched ({2:.1%}).</source>
        <translation>{0} messages enregistrés sur {1} auraient correspondu ({2:.1%}).</translation>
    </message>
    <message>
        <source>Warning: this matches a large part of ordinary traffic — probably too broad.</source>
        <translation>Attention : cela concerne une grande partie du trafic ordinaire — sans doute trop large.</translation>
    </message>
    <message>
        <source>Import rules</source>
        <translation>Importer des règles</translation>
    </message>
    <message>
        <source>Rules files (*.yaml *.yml);;All files (*)</source>
        <translation>Fichiers de règles (*.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Export rules</source>
        <translation>Exporter les règles</translation>
    </message>
    <message>
        <source>Rules files (*.yaml *.yml)</source>
        <translation>Fichiers de règles (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Automatic delete or ban</source>
        <translation>Suppression ou bannissement automatique</translation>
    </message>
    <message>
        <source>These rules will delete items or ban authors on the platforms, without anyone looking first:
{0}

Switch that on?</source>
        <translation>Ces règles supprimeront des messages ou banniront des auteurs sur les plateformes, sans vérification humaine préalable :
{0}

Les activer ?</translation>
    </message>
    <message>
        <source>Decisions recorded from the moderation queue: {0}</source>
        <translation>Décisions enregistrées depuis la file de modération : {0}</translation>
    </message>
    <message>
        <source>On {0} held-back decisions: precision {1:.0%}, recall {2:.0%}, F1 {3:.2f}.</source>
        <translation>Sur {0} décisions mises de côté : précision {1:.0%}, rappel {2:.0%}, F1 {3:.2f}.</translation>
    </message>
    <message>
        <source>The learned score is the condition “score: learned”; the starter rules queue items it rates above 0.9.</source>
        <translation>Le score appris est la condition « score: learned » ; les règles de départ placent dans la file les messages qu&apos;il note au-dessus de 0,9.</translation>
    </message>
    <message>
        <source>Moderation rules</source>
        <translation>Règles de modération</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Règles</translation>
    </message>
    <message>
        <source>Rules, in the order they are tried (the first match decides):</source>
        <translation>Règles, dans l&apos;ordre où elles sont testées (la première qui correspond l&apos;emporte) :</translation>
    </message>
    <message>
        <source>Preview on history</source>
        <translation>Aperçu sur l&apos;historique</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>Apprentissage</translation>
    </message>
    <message>
        <source>Retrain from my decisions</source>
        <translation>Réentraîner avec mes décisions</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Restore the starter rules</source>
        <translation>Restaurer les règles de départ</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>No decisions yet: the model learns from the moderation queue.</source>
        <translation>Aucune décision pour l&apos;instant : le modèle apprend de la file de modération.</translation>
    </message>
    <message>
        <source>Too few decisions to hold some back and measure the model yet.</source>
        <translation>Trop peu de décisions pour en mettre de côté et mesurer le modèle.</translation>
    </message>
    <message>
        <source>Not enough decisions of both kinds yet.</source>
        <translation>Pas encore assez de décisions des deux sortes.</translation>
    </message>
    <message>
        <source>Not trained yet.</source>
        <translation>Pas encore entraîné.</translation>
    </message>
    <message>
        <source>Replies are sent when CMDesk is online with its accounts (this window is offline).</source>
        <translation>Les réponses partent quand CMDesk est en ligne avec ses comptes (cette fenêtre est hors ligne).</translation>
    </message>
    <message>
        <source>This item was deleted on its platform.</source>
        <translation>Ce message a été supprimé sur sa plateforme.</translation>
    </message>
    <message>
        <source>This account must sign in again before it can reply (File → Account settings… → Sign in again…).</source>
        <translation>Ce compte doit se reconnecter avant de pouvoir répondre (Fichier → Paramètres du compte… → Se reconnecter…).</translation>
    </message>
    <message>
        <source>Moderation actions are sent when CMDesk is online with its accounts.</source>
        <translation>Les actions de modération partent quand CMDesk est en ligne avec ses comptes.</translation>
    </message>
    <message>
        <source>Checking what this account may do…</source>
        <translation>Vérification des droits de ce compte…</translation>
    </message>
    <message>
        <source>This platform does not offer this action.</source>
        <translation>Cette plateforme ne propose pas cette action.</translation>
    </message>
    <message>
        <source>Already hidden.</source>
        <translation>Déjà masqué.</translation>
    </message>
    <message>
        <source>The item is not hidden.</source>
        <translation>Ce message n&apos;est pas masqué.</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>ACCOUNTS</source>
        <translation>COMPTES</translation>
    </message>
</context>
<context>
    <name>StarterRules</name>
    <message>
        <source>Threat or intimidation</source>
        <translation>Menace ou intimidation</translation>
    </message>
    <message>
        <source>A threat is waiting in the moderation queue</source>
        <translation>Une menace attend dans la file de modération</translation>
    </message>
    <message>
        <source>Insult, slur or hate</source>
        <translation>Insulte, injure ou propos haineux</translation>
    </message>
    <message>
        <source>Spam (links with money, crypto or contact bait)</source>
        <translation>Spam (liens d&apos;argent, de crypto ou appâts de contact)</translation>
    </message>
    <message>
        <source>Looks like spam</source>
        <translation>Ressemble à du spam</translation>
    </message>
    <message>
        <source>The same text posted again and again</source>
        <translation>Le même texte publié encore et encore</translation>
    </message>
    <message>
        <source>Unhappy customer writing in capitals</source>
        <translation>Client mécontent qui écrit en majuscules</translation>
    </message>
    <message>
        <source>Similar to items you removed before</source>
        <translation>Ressemble à des éléments que vous avez retirés</translation>
    </message>
</context>
<context>
    <name>TemplateLibrary</name>
    <message>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0} j</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favori</translation>
    </message>
    <message>
        <source>Languages of its texts</source>
        <translation>Langues de ses textes</translation>
    </message>
    <message>
        <source>Replies sent with it</source>
        <translation>Réponses envoyées avec ce modèle</translation>
    </message>
    <message>
        <source>Average time items had waited when a reply using it was sent</source>
        <translation>Attente moyenne des messages avant l&apos;envoi d&apos;une réponse utilisant ce modèle</translation>
    </message>
    <message>
        <source>Shortcode</source>
        <translation>Raccourci</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Lang.</source>
        <translation>Lang.</translation>
    </message>
    <message>
        <source>Uses</source>
        <translation>Util.</translation>
    </message>
    <message>
        <source>Last use</source>
        <translation>Dern. util.</translation>
    </message>
    <message>
        <source>Reply time</source>
        <translation>Délai rép.</translation>
    </message>
    <message>
        <source>any language</source>
        <translation>toutes langues</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>Toutes les plateformes</translation>
    </message>
    <message>
        <source>Folder or Folder/Sub-folder</source>
        <translation>Dossier ou Dossier/Sous-dossier</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Import, replacing templates with the same shortcode…</source>
        <translation>Importer en remplaçant les modèles de même raccourci…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Insert a variable…</source>
        <translation>Insérer une variable…</translation>
    </message>
    <message>
        <source>Fix the problems shown, or Revert, before leaving this template.</source>
        <translation>Corrigez les problèmes signalés, ou annulez les modifications, avant de quitter ce modèle.</translation>
    </message>
    <message>
        <source>any</source>
        <translation>toutes</translation>
    </message>
    <message>
        <source>Text {0} ({1}): </source>
        <translation>Texte {0} ({1}) : </translation>
    </message>
    <message>
        <source>Preview for the selected item ({0}):</source>
        <translation>Aperçu pour le message sélectionné ({0}) :</translation>
    </message>
    <message>
        <source>Preview:</source>
        <translation>Aperçu :</translation>
    </message>
    <message>
        <source>Note: HTML and markdown are sent as plain text, exactly as typed.</source>
        <translation>Remarque : le HTML et le Markdown sont envoyés en texte brut, tels que saisis.</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Nouveau modèle</translation>
    </message>
    <message>
        <source>Used {0} times</source>
        <translation>Utilisé {0} fois</translation>
    </message>
    <message>
        <source> · last {0}</source>
        <translation> · dernière fois : {0}</translation>
    </message>
    <message>
        <source> · average reply time {0}</source>
        <translation> · délai de réponse moyen : {0}</translation>
    </message>
    <message>
        <source>Undo: {0} (Ctrl+Z)</source>
        <translation>Annuler : {0} (Ctrl+Z)</translation>
    </message>
    <message>
        <source> — Undo: Ctrl+Z</source>
        <translation> — Annuler : Ctrl+Z</translation>
    </message>
    <message>
        <source>Created /{0}</source>
        <translation>/{0} créé</translation>
    </message>
    <message>
        <source>Saved /{0}</source>
        <translation>/{0} enregistré</translation>
    </message>
    <message>
        <source>{0} (copy)</source>
        <translation>{0} (copie)</translation>
    </message>
    <message>
        <source>Duplicated /{0}</source>
        <translation>/{0} dupliqué</translation>
    </message>
    <message>
        <source>Deleted /{0}</source>
        <translation>/{0} supprimé</translation>
    </message>
    <message>
        <source>Moved /{0}</source>
        <translation>/{0} déplacé</translation>
    </message>
    <message>
        <source>/{0} is a favourite</source>
        <translation>/{0} ajouté aux favoris</translation>
    </message>
    <message>
        <source>/{0} is no longer a favourite</source>
        <translation>/{0} retiré des favoris</translation>
    </message>
    <message>
        <source>Undone: {0}</source>
        <translation>Annulé : {0}</translation>
    </message>
    <message>
        <source>Guidelines saved for {0}</source>
        <translation>Charte enregistrée pour {0}</translation>
    </message>
    <message>
        <source>Fields saved</source>
        <translation>Champs enregistrés</translation>
    </message>
    <message>
        <source>Import templates</source>
        <translation>Importer des modèles</translation>
    </message>
    <message>
        <source>Template files (*.json *.csv *.tsv *.txt);;All files (*)</source>
        <translation>Fichiers de modèles (*.json *.csv *.tsv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Imported {0} templates ({1} new, {2} replaced) from {3}.</source>
        <translation>{0} modèles importés ({1} nouveaux, {2} remplacés) depuis {3}.</translation>
    </message>
    <message>
        <source>Importing {0}…</source>
        <translation>Import de {0}…</translation>
    </message>
    <message>
        <source>{0} was not imported; nothing was changed.</source>
        <translation>{0} n&apos;a pas été importé ; rien n&apos;a été modifié.</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>CSV for spreadsheets (*.csv)</source>
        <translation>CSV pour tableur (*.csv)</translation>
    </message>
    <message>
        <source>Export templates</source>
        <translation>Exporter les modèles</translation>
    </message>
    <message>
        <source>Exported {0} templates to {1}.</source>
        <translation>{0} modèles exportés vers {1}.</translation>
    </message>
    <message>
        <source>Template library</source>
        <translation>Bibliothèque de modèles</translation>
    </message>
    <message>
        <source>Search title, shortcode, tags, text… (Ctrl+F)</source>
        <translation>Chercher titre, raccourci, texte… (Ctrl+F)</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>New template (Ctrl+N)</source>
        <translation>Nouveau modèle (Ctrl+N)</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Dupliquer</translation>
    </message>
    <message>
        <source>Duplicate the selected template (Ctrl+D)</source>
        <translation>Dupliquer le modèle sélectionné (Ctrl+D)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected template (Delete in the list); Ctrl+Z brings it back</source>
        <translation>Supprimer le modèle sélectionné (touche Suppr dans la liste) ; Ctrl+Z le rétablit</translation>
    </message>
    <message>
        <source>★ Favourite</source>
        <translation>★ Favori</translation>
    </message>
    <message>
        <source>Favourites come first in the composer&apos;s picker (Ctrl+B)</source>
        <translation>Les favoris apparaissent en premier dans le sélecteur de modèles (Ctrl+B)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <source>Move up in the library&apos;s order (Alt+Up)</source>
        <translation>Monter dans l&apos;ordre de la bibliothèque (Alt+Up)</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <source>Move down in the library&apos;s order (Alt+Down)</source>
        <translation>Descendre dans l&apos;ordre de la bibliothèque (Alt+Down)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Import templates from a JSON or CSV file</source>
        <translation>Importer des modèles depuis un fichier JSON ou CSV</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Export the library as JSON or CSV</source>
        <translation>Exporter la bibliothèque en JSON ou CSV</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>e.g. merci (typed after / in the composer)</source>
        <translation>ex. : merci (à taper après / dans la réponse)</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <source>separated by commas</source>
        <translation>séparées par des virgules</translation>
    </message>
    <message>
        <source>Texts (one per language, and per platform if needed)</source>
        <translation>Textes (un par langue, et par plateforme si besoin)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Title in this language (optional)</source>
        <translation>Titre dans cette langue (facultatif)</translation>
    </message>
    <message>
        <source>Hello {author.first_name|there}, thank you for your message!</source>
        <translation>Bonjour {author.first_name|à vous}, merci pour votre message !</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Save this template (Ctrl+S)</source>
        <translation>Enregistrer ce modèle (Ctrl+S)</translation>
    </message>
    <message>
        <source>Guidelines</source>
        <translation>Chartes</translation>
    </message>
    <message>
        <source>Posture guidelines (the &quot;charte&quot;) of a category are shown beside the composer when one of its templates is used. Sub-folders (&quot;Reviews/Negative&quot;) inherit their parent&apos;s guidelines unless they have their own. Categories come from the templates&apos; Category field.</source>
        <translation>La charte d&apos;une catégorie s&apos;affiche à côté de la zone de réponse quand l&apos;un de ses modèles est utilisé. Les sous-dossiers (« Avis/Négatifs ») héritent de la charte de leur parent, sauf s&apos;ils ont la leur. Les catégories viennent du champ Catégorie des modèles.</translation>
    </message>
    <message>
        <source>Save guidelines</source>
        <translation>Enregistrer la charte</translation>
    </message>
    <message>
        <source>Custom fields</source>
        <translation>Champs personnalisés</translation>
    </message>
    <message>
        <source>Your own variables, such as {shop.website}. A field without a value is asked for in the composer each time a template uses it.</source>
        <translation>Vos propres variables, comme {shop.website}. Un champ sans valeur est demandé dans la zone de réponse chaque fois qu&apos;un modèle l&apos;utilise.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Add a field</source>
        <translation>Ajouter un champ</translation>
    </message>
    <message>
        <source>Save fields</source>
        <translation>Enregistrer les champs</translation>
    </message>
</context>
<context>
    <name>TemplatePicker</name>
    <message>
        <source>Templates — keep typing to search · ↑↓ choose · Enter insert · Esc close</source>
        <translation>Modèles — tapez pour rechercher · ↑↓ choisir · Entrée insérer · Échap fermer</translation>
    </message>
</context>
<context>
    <name>Templates</name>
    <message>
        <source>Author&apos;s name</source>
        <translation>Nom de l&apos;auteur</translation>
    </message>
    <message>
        <source>Author&apos;s first name</source>
        <translation>Prénom de l&apos;auteur</translation>
    </message>
    <message>
        <source>Author&apos;s handle</source>
        <translation>Identifiant de l&apos;auteur</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Account name</source>
        <translation>Nom du compte</translation>
    </message>
    <message>
        <source>Your brand</source>
        <translation>Votre marque</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>Today&apos;s date</source>
        <translation>Date du jour</translation>
    </message>
    <message>
        <source>Excerpt of the message</source>
        <translation>Extrait du message</translation>
    </message>
    <message>
        <source>No template matches “{0}”.</source>
        <translation>Aucun modèle ne correspond à « {0} ».</translation>
    </message>
    <message>
        <source>This reply needs a few values before it can be sent:</source>
        <translation>Cette réponse a besoin de quelques valeurs avant d&apos;être envoyée :</translation>
    </message>
    <message>
        <source>Fill in</source>
        <translation>Remplir</translation>
    </message>
    <message>
        <source>value for {{{0}}}</source>
        <translation>valeur de {{{0}}}</translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation>Modèles…</translation>
    </message>
    <message>
        <source>Insert a template</source>
        <translation>Insérer un modèle</translation>
    </message>
    <message>
        <source>{0} starter templates were added to your library (Item → Templates…).</source>
        <translation>{0} modèles de départ ont été ajoutés à votre bibliothèque (Message → Modèles…).</translation>
    </message>
    <message>
        <source>Select an item you can answer to insert a template.</source>
        <translation>Sélectionnez un message auquel vous pouvez répondre pour insérer un modèle.</translation>
    </message>
    <message>
        <source>any language</source>
        <translation>toutes langues</translation>
    </message>
    <message>
        <source>any platform</source>
        <translation>toutes plateformes</translation>
    </message>
    <message>
        <source>no version in “{0}”</source>
        <translation>pas de version « {0} »</translation>
    </message>
    <message>
        <source>Cannot be used as is: {0}</source>
        <translation>Inutilisable en l&apos;état : {0}</translation>
    </message>
    <message>
        <source>asks for {0}</source>
        <translation>demande {0}</translation>
    </message>
    <message>
        <source>Too long for {0}.</source>
        <translation>Trop long pour {0}.</translation>
    </message>
    <message>
        <source>/{0} has an error and cannot be inserted: {1}. Fix it in Templates…</source>
        <translation>/{0} contient une erreur et ne peut pas être inséré : {1}. Corrigez-le dans Modèles…</translation>
    </message>
    <message>
        <source>/{0} has no version in “{1}”: its {2} text was used.</source>
        <translation>/{0} n&apos;a pas de version « {1} » : son texte {2} a été utilisé.</translation>
    </message>
    <message>
        <source>Unknown variable {0}: a reply is never sent with a raw {{…}} in it. Remove it, or declare it in Templates… → Custom fields.</source>
        <translation>Variable inconnue {0} : une réponse n&apos;est jamais envoyée avec un {{…}} brut. Retirez-la, ou déclarez-la dans Modèles… → Champs personnalisés.</translation>
    </message>
    <message>
        <source>Fill in {0} before sending.</source>
        <translation>Remplissez {0} avant l&apos;envoi.</translation>
    </message>
</context>
</TS>
